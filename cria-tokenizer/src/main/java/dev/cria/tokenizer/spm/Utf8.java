package dev.cria.tokenizer.spm;

/**
 * UTF-8 decoding with SentencePiece's rules: strict (no overlongs, no surrogates, nothing above U+10FFFF);
 * a malformed sequence counts as one invalid byte.
 */
final class Utf8 {
    /** U+FFFD REPLACEMENT CHARACTER in UTF-8. */
    static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};
    /** U+2581 LOWER ONE EIGHTH BLOCK, SentencePiece's visible space. */
    static final byte[] SPACE_SYMBOL = {(byte) 0xE2, (byte) 0x96, (byte) 0x81};

    private Utf8() {
    }

    /**
     * Length of the valid UTF-8 character starting at {@code pos}, or 0 when the byte there does not start one
     * (the caller then consumes exactly one byte as U+FFFD).
     */
    static int validCharLength(byte[] s, int pos, int end) {
        int b0 = s[pos] & 0xFF;
        if (b0 < 0x80) {
            return 1;
        }
        int left = end - pos;
        if ((b0 & 0xE0) == 0xC0) {
            if (left >= 2 && isTrail(s[pos + 1])) {
                int cp = (b0 & 0x1F) << 6 | (s[pos + 1] & 0x3F);
                return cp >= 0x80 ? 2 : 0;
            }
        } else if ((b0 & 0xF0) == 0xE0) {
            if (left >= 3 && isTrail(s[pos + 1]) && isTrail(s[pos + 2])) {
                int cp = (b0 & 0x0F) << 12 | (s[pos + 1] & 0x3F) << 6 | (s[pos + 2] & 0x3F);
                return cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF) ? 3 : 0;
            }
        } else if ((b0 & 0xF8) == 0xF0) {
            if (left >= 4 && isTrail(s[pos + 1]) && isTrail(s[pos + 2]) && isTrail(s[pos + 3])) {
                int cp = (b0 & 0x07) << 18 | (s[pos + 1] & 0x3F) << 12 | (s[pos + 2] & 0x3F) << 6 | (s[pos + 3] & 0x3F);
                return cp >= 0x10000 && cp <= 0x10FFFF ? 4 : 0;
            }
        }
        return 0;
    }

    /** The code point of a character already known to be valid, of length {@code len}. */
    static int decode(byte[] s, int pos, int len) {
        return switch (len) {
            case 1 -> s[pos] & 0xFF;
            case 2 -> (s[pos] & 0x1F) << 6 | (s[pos + 1] & 0x3F);
            case 3 -> (s[pos] & 0x0F) << 12 | (s[pos + 1] & 0x3F) << 6 | (s[pos + 2] & 0x3F);
            default -> (s[pos] & 0x07) << 18 | (s[pos + 1] & 0x3F) << 12 | (s[pos + 2] & 0x3F) << 6 | (s[pos + 3] & 0x3F);
        };
    }

    /** Length of a UTF-8 character from its lead byte, for text already known to be valid. */
    static int lengthFromLead(byte lead) {
        int b = lead & 0xFF;
        if (b < 0x80) {
            return 1;
        }
        if (b < 0xE0) {
            return 2;
        }
        return b < 0xF0 ? 3 : 4;
    }

    static boolean isSpaceSymbol(byte[] s, int pos, int end) {
        return end - pos >= 3 && s[pos] == (byte) 0xE2 && s[pos + 1] == (byte) 0x96 && s[pos + 2] == (byte) 0x81;
    }

    private static boolean isTrail(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
