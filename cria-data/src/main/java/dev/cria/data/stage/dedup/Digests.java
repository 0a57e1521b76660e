package dev.cria.data.stage.dedup;

import dev.cria.data.Document;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** 64-bit digests of strings (the first 8 bytes, big-endian, so unsigned order equals the hex digest's order). */
final class Digests {

    private Digests() {
    }

    static long sha1(String s) {
        return prefix(digest("SHA-1", s));
    }

    static long md5(String s) {
        return prefix(digest("MD5", s));
    }

    /**
     * A key that tells documents apart across sources. The text's digest is part of it because ids are not always
     * unique: C4's own fake WET files reuse one WARC-Record-ID for several pages, and a page of another URL with the
     * same id must not count as the kept copy. Two documents with the same source, id and text are one page here.
     */
    static String key(Document d) {
        return d.source() + '\u0000' + d.id() + '\u0000' + Long.toHexString(sha1(d.text()));
    }

    private static byte[] digest(String algorithm, String s) {
        try {
            return MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + algorithm, e);
        }
    }

    private static long prefix(byte[] d) {
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (d[i] & 0xFF);
        }
        return h;
    }
}
