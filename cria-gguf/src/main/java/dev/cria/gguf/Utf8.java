package dev.cria.gguf;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 checks that stay off the fast path: only text that decoded with a U+FFFD is re-examined. */
final class Utf8 {

    private Utf8() {
    }

    /**
     * Decodes {@code length} bytes of {@code bytes} from {@code offset}, or returns null when they are not well-formed UTF-8
     * (including overlong forms and encoded surrogates).
     */
    static String decodeOrNull(byte[] bytes, int offset, int length) {
        String s = new String(bytes, offset, length, StandardCharsets.UTF_8);
        // The lenient decoder turns every malformed sequence into U+FFFD, so text without one is well-formed;
        // text with one may still be well-formed (U+FFFD is itself a valid character, EF BF BD).
        if (s.indexOf('\uFFFD') >= 0 && firstMalformed(bytes, offset, length) >= 0) {
            return null;
        }
        return s;
    }

    /**
     * The index, counted from {@code offset}, of the first byte of the first malformed sequence, or -1 when all
     * {@code length} bytes are well-formed.
     */
    static int firstMalformed(byte[] bytes, int offset, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        CharBuffer out = CharBuffer.allocate(length);
        return decoder.decode(in, out, true).isError() ? in.position() - offset : -1;
    }

    /**
     * The UTF-8 bytes of {@code s}.
     *
     * @throws IllegalArgumentException when {@code s} holds an unpaired surrogate, which has no UTF-8 form
     *                                  ({@link String#getBytes} would silently write '?')
     */
    static byte[] encode(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return encodeStrict(s, what);
            }
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] encodeStrict(String s, String what) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            ByteBuffer encoded = encoder.encode(CharBuffer.wrap(s));
            byte[] out = new byte[encoded.remaining()];
            encoded.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " holds an unpaired surrogate and has no UTF-8 form", e);
        }
    }
}
