package dev.cria.data.stage.ccnet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** CCNet's line hash: SHA-1 of the UTF-8 normalized line, its first 8 bytes read as a little-endian 64-bit integer. */
final class LineHash {

    private final MessageDigest sha1;

    LineHash() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    long of(String line) {
        byte[] d = sha1.digest(CcnetNormalizer.forDedup(line).getBytes(StandardCharsets.UTF_8));
        long h = 0;
        for (int i = 7; i >= 0; i--) {
            h = (h << 8) | (d[i] & 0xFF);
        }
        return h;
    }
}
