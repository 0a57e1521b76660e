package dev.cria.tokenizer.bytelevel;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 checks for the encoder, which pre-tokenizes valid UTF-8 only.
 *
 * <p>Invalid input is repaired the way Python's {@code bytes.decode("utf-8", "replace")}, Rust's
 * {@code String::from_utf8_lossy} and Java's decoder all do it: each maximal invalid subsequence becomes one
 * U+FFFD (Unicode §3.9, "U+FFFD Substitution of Maximal Subparts"). tiktoken and HF tokenizers take
 * already-decoded strings, so this is the decoding their callers apply.
 */
final class Utf8 {

    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    private Utf8() {
    }

    /** Whether {@code bytes[from, to)} is well-formed UTF-8 (Unicode Table 3-7: no overlongs, surrogates or values past U+10FFFF). */
    static boolean isValid(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            int lead = b & 0xFF;
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                need = 1;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                need = 2;
                if (lead == 0xE0) {
                    lo = 0xA0;
                } else if (lead == 0xED) {
                    hi = 0x9F;
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                need = 3;
                if (lead == 0xF0) {
                    lo = 0x90;
                } else if (lead == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                return false;
            }
            if (i + need >= to) {
                return false;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < lo || second > hi) {
                return false;
            }
            for (int k = 2; k <= need; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += need + 1;
        }
        return true;
    }

    /** A well-formed copy of {@code bytes[from, to)}: each maximal invalid subsequence replaced by U+FFFD. */
    static byte[] replaceInvalid(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * UTF-8 of {@code text} with each unpaired surrogate written as U+FFFD ({@link String#getBytes} would
     * write {@code '?'}, which is a different token).
     */
    static byte[] encode(String text) {
        int n = text.length();
        boolean lone = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    lone = true;
                    break;
                }
            }
        }
        if (!lone) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        var out = new java.io.ByteArrayOutputStream(n * 3);
        text.codePoints().forEach(cp -> {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                out.writeBytes(REPLACEMENT);
            } else {
                out.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
            }
        });
        return out.toByteArray();
    }
}
