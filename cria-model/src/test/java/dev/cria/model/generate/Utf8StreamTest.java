package dev.cria.model.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Utf8StreamTest {

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void holdsAnIncompleteCharacterUntilItsLastByteArrives() {
        Utf8Stream s = new Utf8Stream();
        assertEquals("caf", s.push(bytes('c', 'a', 'f', 0xC3)));
        assertEquals("é", s.push(bytes(0xA9)));
        assertEquals("", s.push(bytes(0xF0)));
        assertEquals("", s.push(bytes(0x9F, 0x98)));
        assertEquals("\uD83D\uDE00!", s.push(bytes(0x80, '!')));
        assertEquals("", s.flush());
    }

    @Test
    void replacesEachByteThatCannotStartOrContinueACharacter() {
        Utf8Stream s = new Utf8Stream();
        assertEquals("\uFFFDa", s.push(bytes(0xFF, 'a')));
        assertEquals("\uFFFDA", s.push(bytes(0xC3, 'A')));
        // Overlong (C0), surrogate (ED A0) and beyond U+10FFFF (F4 90) never become characters.
        assertEquals("\uFFFD\uFFFDx", s.push(bytes(0xC0, 0x80, 'x')));
        assertEquals("\uFFFD\uFFFD\uFFFDy", s.push(bytes(0xED, 0xA0, 0x80, 'y')));
        assertEquals("\uFFFD\uFFFD\uFFFD\uFFFDz", s.push(bytes(0xF4, 0x90, 0x80, 0x80, 'z')));
    }

    @Test
    void flushReplacesWhatIsLeftOfAnIncompleteCharacter() {
        Utf8Stream s = new Utf8Stream();
        assertEquals("", s.push(bytes(0xE2, 0x82)));
        assertEquals("\uFFFD\uFFFD", s.flush());
    }
}
