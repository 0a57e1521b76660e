package dev.cria.tokenizer.bytelevel;

/**
 * GPT-2's {@code bytes_to_unicode}: the reversible byte-to-character mapping that HF {@code tokenizer.json}
 * and GGUF files use to spell byte-level tokens as text.
 *
 * <p>Bytes that are printable Latin-1 ({@code '!'..'~'}, {@code '¡'..'¬'}, {@code '®'..'ÿ'}) stand for
 * themselves; the other 68 bytes, in increasing order, become U+0100, U+0101, … — so space (0x20, the
 * 33rd of them) is {@code Ġ} U+0120 and newline is {@code Ċ} U+010A.
 */
final class ByteLevelAlphabet {

    private static final char[] BYTE_TO_CHAR = new char[256];
    /** Indexed by character (all mapped characters are below U+0144); -1 where the character maps to no byte. */
    private static final short[] CHAR_TO_BYTE = new short[0x144];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, (short) -1);
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            char c = isPrintable(b) ? (char) b : (char) (256 + shifted++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = (short) b;
        }
    }

    private ByteLevelAlphabet() {
    }

    private static boolean isPrintable(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    /** The byte-level spelling of {@code bytes}, e.g. {@code " hello"} → {@code "Ġhello"}. */
    static String toPiece(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /** The bytes a byte-level piece spells, or null when it holds a character outside the alphabet. */
    static byte[] toBytes(String piece) {
        byte[] bytes = new byte[piece.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = piece.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b < 0) {
                return null;
            }
            bytes[i] = (byte) b;
        }
        return bytes;
    }
}
