package dev.cria.data.stage.filter;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.dedup.C4UrlDedup;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * C4's train/validation split (DATA-RULES §3.1 step 8): a page is {@code validation} when the MD5 of its normalized
 * URL, read as a 128-bit integer, is divisible by 1000, else {@code train}. Writes meta {@code split} (so a recipe can
 * partition by {@code {split}}) and drops nothing.
 */
public final class C4Split implements DocumentStage {

    private static final long serialVersionUID = 1L;
    private static final BigInteger THOUSAND = BigInteger.valueOf(1000);

    private final String urlField;

    public C4Split(String urlField) {
        this.urlField = urlField;
    }

    @Override
    public String name() {
        return "c4_split";
    }

    /** {@code train} or {@code validation} for a page URL. */
    public static String split(String url) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(C4UrlDedup.normalizeUrl(url).getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, md5).mod(THOUSAND).signum() == 0 ? "validation" : "train";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    @Override
    public Outcome apply(Document document) {
        Object url = document.meta().get(urlField);
        return Outcome.keep(document.withMeta("split", split(url == null ? document.id() : url.toString())));
    }
}
