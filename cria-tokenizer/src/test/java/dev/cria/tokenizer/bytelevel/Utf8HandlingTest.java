package dev.cria.tokenizer.bytelevel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8HandlingTest {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void replacesEachMaximalInvalidSubsequenceWithOneReplacementCharacter() {
        // Unicode Standard §3.9, Table 3-8: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64 → a���b�c��d
        byte[] input = bytes(0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64);
        String expected = "a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd";
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), Utf8.replaceInvalid(input, 0, input.length));
        ByteLevelBpe bpe = Llama3Fixture.tokenizer();
        assertArrayEquals(bpe.encode(expected), bpe.encode(input));
    }

    @Test
    void acceptsExactlyWellFormedUtf8() {
        assertTrue(Utf8.isValid(bytes(0xF4, 0x8F, 0xBF, 0xBF), 0, 4), "U+10FFFF");
        assertTrue(Utf8.isValid(bytes(0xED, 0x9F, 0xBF), 0, 3), "U+D7FF");
        assertFalse(Utf8.isValid(bytes(0xF4, 0x90, 0x80, 0x80), 0, 4), "past U+10FFFF");
        assertFalse(Utf8.isValid(bytes(0xED, 0xA0, 0x80), 0, 3), "surrogate");
        assertFalse(Utf8.isValid(bytes(0xC0, 0xAF), 0, 2), "overlong");
        assertFalse(Utf8.isValid(bytes(0xE0, 0x80, 0xAF), 0, 3), "overlong");
        assertFalse(Utf8.isValid(bytes(0xE2, 0x82), 0, 2), "truncated");
        assertFalse(Utf8.isValid(bytes(0x80), 0, 1), "lone continuation");
    }

    @Test
    void encodesUnpairedSurrogatesAsReplacementCharacter() {
        ByteLevelBpe bpe = Llama3Fixture.tokenizer();
        assertArrayEquals(bpe.encode("a\uFFFDb\uFFFD"), bpe.encode("a\uD800b\uDC00"));
        assertArrayEquals(bpe.encode("\uD83E\uDD99".getBytes(StandardCharsets.UTF_8)), bpe.encode("\uD83E\uDD99"));
    }
}
