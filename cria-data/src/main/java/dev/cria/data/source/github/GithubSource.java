package dev.cria.data.source.github;

import dev.cria.data.Document;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The files of one repository — a source tree, a zip or jar (Maven source jars included), or a tar/tar.gz — as
 * documents, with the repository's licence detected from its LICENSE/LICENCE/COPYING files at the root or under
 * {@code META-INF/} (DATA-RULES §4). Each document's text has its licence header stripped; {@code meta} holds repo,
 * path, license (SPDX id or {@code unknown}) and {@code content_md5}, the MD5 of the raw file on which RedPajama
 * deduplicates. Files ending in {@code .crt}, files named exactly {@code LICENSE}, and binary files (a NUL byte or
 * invalid UTF-8) are skipped and counted.
 */
public final class GithubSource {

    /** What was read; {@code errors} names archives that could not be read to the end. */
    public record Report(int files, int emitted, int binary, int skippedByName, String license, List<String> errors) {
    }

    private GithubSource() {
    }

    public static Report read(Path input, Consumer<Document> sink) throws IOException {
        try (GithubReader reader = new GithubReader(input, "github")) {
            Document d;
            while ((d = reader.next()) != null) {
                sink.accept(d);
            }
            var r = reader.report();
            List<String> errors = r.badExamples().stream().map(b -> b.detail()).toList();
            return new Report((int) (r.records() - r.badCount()),
                    (int) r.documents(), r.skipped().getOrDefault("binary", 0L).intValue(),
                    r.skipped().getOrDefault("licence_or_certificate_file", 0L).intValue(), reader.license(), errors);
        }
    }

    /** Whether {@code path} names a licence file where GitHub looks: the root, {@code META-INF/} or {@code legal/}. */
    static boolean isLicenseFile(String path) {
        String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
        String file = path.substring(path.lastIndexOf('/') + 1).toUpperCase(Locale.ROOT);
        boolean licenseName = file.startsWith("LICENSE") || file.startsWith("LICENCE") || file.startsWith("COPYING");
        return licenseName && (dir.isEmpty() || dir.equals("META-INF") || dir.equals("legal"));
    }

    /** The SPDX id of the first recognized licence file at the root or in META-INF, or {@code unknown}. */
    static String detectLicense(TreeMap<String, byte[]> files) {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            if (isLicenseFile(f.getKey())) {
                String text = utf8Text(f.getValue());
                if (text != null) {
                    var spdx = LicenseClassifier.classify(text);
                    if (spdx.isPresent()) {
                        return spdx.get();
                    }
                }
            }
        }
        return "unknown";
    }

    static String utf8Text(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }
}
