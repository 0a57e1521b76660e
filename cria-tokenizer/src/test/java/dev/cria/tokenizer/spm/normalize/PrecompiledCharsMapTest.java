package dev.cria.tokenizer.spm.normalize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.tokenizer.TokenizerFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrecompiledCharsMapTest {

    @Test
    void readsTheTrieSentencePieceStoredInBotchanModel() throws Exception {
        byte[] blob = ReferenceModel.nmtNfkcBlob();
        assertEquals(237_561, blob.length);
        PrecompiledCharsMap map = PrecompiledCharsMap.parse(blob);
        // The header says 177,152 trie bytes: 44,288 units of 4 bytes.
        assertEquals(44_288, map.unitCount());
        assertEquals(237_561 - 4 - 177_152, map.replacementBytes().length);
    }

    @Test
    void takesTheLongestKeyAndPointsAtItsReplacement() throws Exception {
        PrecompiledCharsMap map = PrecompiledCharsMap.parse(ReferenceModel.nmtNfkcBlob());
        // HALFWIDTH KATAKANA KA + HALFWIDTH VOICED SOUND MARK compose to KATAKANA GA (NFKC); KA alone is KATAKANA KA.
        byte[] input = "xｶﾞy".getBytes(StandardCharsets.UTF_8);
        long match = map.longestMatch(input, 1, input.length);
        assertEquals(6, PrecompiledCharsMap.matchLength(match));
        assertEquals("ガ", replacement(map, match));
        long kaOnly = map.longestMatch(input, 1, 4);
        assertEquals(3, PrecompiledCharsMap.matchLength(kaOnly));
        assertEquals("カ", replacement(map, kaOnly));
        assertEquals(PrecompiledCharsMap.NO_MATCH, map.longestMatch(input, 0, input.length));
        assertEquals(PrecompiledCharsMap.NO_MATCH, map.longestMatch(input, 1, 1));
    }

    @Test
    void mapsDeletedControlCharactersToEmptyReplacement() throws Exception {
        PrecompiledCharsMap map = PrecompiledCharsMap.parse(ReferenceModel.nmtNfkcBlob());
        long match = map.longestMatch(new byte[] {0x07}, 0, 1);
        assertEquals(1, PrecompiledCharsMap.matchLength(match));
        assertEquals(0, map.replacementLength(PrecompiledCharsMap.replacementOffset(match)));
    }

    @Test
    void appliesTheReferenceBlobExactlyAsSpmNormalizeDoes(@TempDir Path dir) throws Exception {
        PrecompiledCharsMap map = PrecompiledCharsMap.parse(ReferenceModel.nmtNfkcBlob());
        Path input = dir.resolve("input.txt");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.writeBytes(Files.readAllBytes(ReferenceModel.botchanText()));
        text.writeBytes(TrickyText.bytes());
        Files.write(input, text.toByteArray());

        // Without --use_internal_normalization spm_normalize turns off the dummy prefix and space escaping, and this
        // flag turns off whitespace trimming: what remains is the charsmap alone.
        byte[] expected = SpmTools.run("spm_normalize", "--model=" + ReferenceModel.modelPath(),
                "--remove_extra_whitespaces=false", input.toString());

        assertLinesEqual(expected, applyPerLine(map, text.toByteArray()));
    }

    @Test
    void turnsEachMalformedByteIntoOneReplacementCharacter() throws Exception {
        PrecompiledCharsMap map = PrecompiledCharsMap.identity();
        byte[] input = {'a', (byte) 0xE2, (byte) 0x82, 'b', (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        String expected = "a\uFFFD\uFFFDb\uFFFD\uFFFD\uFFFD";
        assertEquals(expected, new String(map.apply(input, 0, input.length), StandardCharsets.UTF_8));
    }

    @Test
    void treatsAnEmptyBlobAsNoRules() throws Exception {
        PrecompiledCharsMap map = PrecompiledCharsMap.parse(new byte[0]);
        assertTrue(map.isIdentity());
        assertEquals("ＡＢＣ", map.apply("ＡＢＣ"));
    }

    @Test
    void rejectsATrieSizeThatIsNotAWholeNumberOfUnits() {
        byte[] blob = ReferenceModel.nmtNfkcBlob().clone();
        blob[0] ^= 1;
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class,
                () -> PrecompiledCharsMap.parse(blob, "botchan.model"));
        assertTrue(e.getMessage().startsWith("botchan.model: byte 0: trie size"), e.getMessage());
        assertTrue(e.getMessage().contains("multiple of 4"), e.getMessage());
    }

    @Test
    void rejectsATrieLargerThanTheBlob() {
        byte[] blob = {(byte) 0x00, (byte) 0x01, 0, 0, 0, 0, 0, 0, 0};
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> PrecompiledCharsMap.parse(blob));
        assertTrue(e.getMessage().contains("byte 0: trie size 256 leaves no room"), e.getMessage());
    }

    @Test
    void rejectsABlobShorterThanItsHeader() {
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class,
                () -> PrecompiledCharsMap.parse(new byte[] {4, 0}));
        assertTrue(e.getMessage().contains("expected a 4-byte trie size"), e.getMessage());
    }

    @Test
    void rejectsReplacementStringsWithoutFinalNul() {
        byte[] blob = ReferenceModel.nmtNfkcBlob();
        byte[] truncated = Arrays.copyOf(blob, blob.length - 1);
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class,
                () -> PrecompiledCharsMap.parse(truncated));
        assertTrue(e.getMessage().contains("byte " + (truncated.length - 1) + ": expected the replacement strings "
                + "to end with a NUL"), e.getMessage());
    }

    @Test
    void rejectsALeafPointingPastTheReplacementStrings() throws Exception {
        byte[] blob = CharsMapBuilder.build(java.util.Map.of("a", "b"));
        PrecompiledCharsMap ok = PrecompiledCharsMap.parse(blob);
        assertEquals("b", ok.apply("a"));
        int units = ok.unitCount();
        int leafAt = -1;
        for (int i = 0; i < units; i++) {
            int at = 4 + 4 * i;
            if ((blob[at + 3] & 0x80) != 0) {
                leafAt = at;
            }
        }
        assertTrue(leafAt > 0, "the blob of one rule has a leaf unit");
        blob[leafAt] = 100;
        int offset = leafAt;
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> PrecompiledCharsMap.parse(blob));
        assertTrue(e.getMessage().contains("byte " + offset + ": leaf unit"), e.getMessage());
        assertTrue(e.getMessage().contains("replacement offset 100, outside the 2-byte replacement table"),
                e.getMessage());
    }

    @Test
    void rejectsARootUnitThatIsALeaf() {
        byte[] blob = {4, 0, 0, 0, 0, 0, 0, (byte) 0x80, 'x', 0};
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> PrecompiledCharsMap.parse(blob));
        assertTrue(e.getMessage().contains("byte 4: root unit 0x80000000"), e.getMessage());
    }

    @Test
    void staysInsideAHostileTrieWhoseOffsetsPointOutside() throws Exception {
        // Root offset 1 << 20 points far beyond the single unit; lookups must stop, not read outside.
        int root = 1 << 30;
        byte[] blob = {4, 0, 0, 0, (byte) root, (byte) (root >>> 8), (byte) (root >>> 16), (byte) (root >>> 24), 0};
        PrecompiledCharsMap map = PrecompiledCharsMap.parse(blob);
        assertEquals(PrecompiledCharsMap.NO_MATCH, map.longestMatch(new byte[] {'a', 'b'}, 0, 2));
    }

    private static String replacement(PrecompiledCharsMap map, long match) {
        int offset = PrecompiledCharsMap.replacementOffset(match);
        return new String(map.replacementBytes(), offset, map.replacementLength(offset), StandardCharsets.UTF_8);
    }

    /** Applies the map to each newline-terminated line, as spm_normalize reads and writes lines. */
    static byte[] applyPerLine(PrecompiledCharsMap map, byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length + 1024);
        int start = 0;
        for (int i = 0; i <= text.length; i++) {
            if (i == text.length || text[i] == '\n') {
                if (i == text.length && start == i) {
                    break;
                }
                out.writeBytes(map.apply(text, start, i));
                out.write('\n');
                start = i + 1;
            }
        }
        return out.toByteArray();
    }

    /** Compares two newline-separated outputs and reports the first differing line readably. */
    static void assertLinesEqual(byte[] expected, byte[] actual) {
        if (Arrays.equals(expected, actual)) {
            return;
        }
        String[] want = new String(expected, StandardCharsets.UTF_8).split("\n", -1);
        String[] got = new String(actual, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < Math.min(want.length, got.length); i++) {
            assertEquals(want[i], got[i], "line " + (i + 1));
        }
        assertArrayEquals(expected, actual, "outputs differ (line counts " + want.length + " vs " + got.length + ")");
    }
}
