package dev.cria.tokenizer.spm.normalize;

import static dev.cria.tokenizer.spm.normalize.PrecompiledCharsMapTest.applyPerLine;
import static dev.cria.tokenizer.spm.normalize.PrecompiledCharsMapTest.assertLinesEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharsMapBuilderTest {

    /** Leftmost-longest replacement straight from the map: the meaning of a charsmap, without any trie. */
    private static String bruteForce(Map<String, String> rules, String text) {
        return bruteForce(rules, rules.keySet().stream().mapToInt(String::length).max().orElse(0), text);
    }

    private static String bruteForce(Map<String, String> rules, int maxLength, String text) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < text.length()) {
            String replacement = null;
            int length = Math.min(maxLength, text.length() - at);
            for (; length > 0; length--) {
                replacement = rules.get(text.substring(at, at + length));
                if (replacement != null) {
                    break;
                }
            }
            if (replacement != null) {
                out.append(replacement);
                at += length;
            } else {
                int cp = text.codePointAt(at);
                out.appendCodePoint(cp);
                at += Character.charCount(cp);
            }
        }
        return out.toString();
    }

    @Test
    void compilesNestedPrefixesDeletionsAndSupplementaryCharacters() throws Exception {
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("a", "1");
        rules.put("ab", "2");
        rules.put("abc", "");
        rules.put("abcd", "long");
        rules.put("b", "bee");
        rules.put("𝐀", "A");
        rules.put("𝐀\u030A", "Å");
        rules.put("\uFF21", "A");
        rules.put("é", "e\u0301");
        PrecompiledCharsMap map = PrecompiledCharsMap.parse(CharsMapBuilder.build(rules));
        for (String text : new String[] {"a", "ab", "abc", "abcd", "abcde", "aab", "bab", "𝐀𝐀\u030A", "Ａé", "xyz",
                "", "abca", "\u030A𝐀"}) {
            assertEquals(bruteForce(rules, text), map.apply(text), text);
        }
    }

    @Test
    void answersEveryLookupOfManyRandomRulesLikeTheRulesThemselves() throws Exception {
        // Enough keys that the trie spans far more than the 16 blocks kept open while placing states, with heavy
        // prefix and suffix sharing over a small alphabet of 1- to 4-byte characters.
        String[] alphabet = {"a", "b", "c", "é", "ア", "𝐀", "\u0301"};
        String[] replacements = {"", "x", "yy", "ア", "𝐀𝐀", "é"};
        Random random = new Random(20240501);
        Map<String, String> rules = new HashMap<>();
        while (rules.size() < 30_000) {
            StringBuilder key = new StringBuilder();
            int length = 1 + random.nextInt(8);
            for (int i = 0; i < length; i++) {
                key.append(alphabet[random.nextInt(alphabet.length)]);
            }
            rules.put(key.toString(), replacements[random.nextInt(replacements.length)]);
        }
        byte[] blob = CharsMapBuilder.build(rules);
        PrecompiledCharsMap map = PrecompiledCharsMap.parse(blob);
        assertTrue(map.unitCount() > 16 * 256, "units: " + map.unitCount());
        for (Map.Entry<String, String> rule : rules.entrySet()) {
            byte[] key = rule.getKey().getBytes(StandardCharsets.UTF_8);
            long match = map.longestMatch(key, 0, key.length);
            assertEquals(key.length, PrecompiledCharsMap.matchLength(match), rule.getKey());
            int offset = PrecompiledCharsMap.replacementOffset(match);
            assertEquals(rule.getValue(), new String(map.replacementBytes(), offset, map.replacementLength(offset),
                    StandardCharsets.UTF_8), rule.getKey());
        }
        int maxLength = rules.keySet().stream().mapToInt(String::length).max().orElseThrow();
        String[] wider = {"a", "b", "c", "d", "é", "ア", "𝐀", "\u0301", "\u0000", "z"};
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(16);
            for (int i = 0; i < length; i++) {
                text.append(wider[random.nextInt(wider.length)]);
            }
            assertEquals(bruteForce(rules, maxLength, text.toString()), map.apply(text.toString()), text.toString());
        }
    }

    @Test
    void storesEachDistinctReplacementOnce() {
        Map<String, String> rules = Map.of("a", "same", "b", "same", "c", "other");
        byte[] blob = CharsMapBuilder.build(rules);
        int trieBytes = (blob[0] & 0xFF) | (blob[1] & 0xFF) << 8 | (blob[2] & 0xFF) << 16 | (blob[3] & 0xFF) << 24;
        assertEquals("other\0same\0", new String(blob, 4 + trieBytes, blob.length - 4 - trieBytes,
                StandardCharsets.UTF_8));
    }

    @Test
    void compilesNoRulesToTheEmptyIdentityBlob() {
        assertArrayEquals(new byte[0], CharsMapBuilder.build(Map.of()));
    }

    @Test
    void rejectsRulesSentencePieceCannotStore() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CharsMapBuilder.build(Map.of("", "x")))
                .getMessage().contains("empty source"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CharsMapBuilder.build(Map.of("a\0", "x")))
                .getMessage().contains("U+0000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CharsMapBuilder.build(Map.of("a", "x\0")))
                .getMessage().contains("replacement of the rule for U+0061 holds U+0000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CharsMapBuilder.build(Map.of("\uD800", "x")))
                .getMessage().contains("unpaired surrogate"));
    }

    @Test
    void rejectsASourceWithThirtyTwoSourcesAsPrefixes() {
        Map<String, String> rules = new HashMap<>();
        for (int length = 1; length <= 31; length++) {
            rules.put("a".repeat(length), "x");
        }
        PrecompiledCharsMap deepest = assertDoesNotThrow(() -> PrecompiledCharsMap.parse(CharsMapBuilder.build(rules)));
        assertEquals("xx", deepest.apply("a".repeat(32)));
        rules.put("a".repeat(32), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CharsMapBuilder.build(rules));
        assertTrue(e.getMessage().contains("has 32 sources as prefixes"), e.getMessage());
    }

    /**
     * The strongest check of the trie: SentencePiece's decompiler tries all 256 bytes at every node, so a false
     * transition or a lost key in our double array would change its listing. Rules: SentencePiece's own nmt_nfkc.
     */
    @Test
    void spmDecompilesOurBlobOfTheReferenceRulesToTheSameListing(@TempDir Path dir) throws Exception {
        Path reference = ReferenceModel.modelPath();
        byte[] referenceListing = SpmTools.run("spm_normalize", "--model=" + reference, "--decompile");
        Map<String, String> rules = NormalizationRules.parseTsv(new String(referenceListing, StandardCharsets.UTF_8));
        assertEquals(224_725, rules.size());

        byte[] ours = CharsMapBuilder.build(rules);
        Path model = dir.resolve("ours.model");
        Files.write(model, ModelProtoEdit.withNormalizer(ReferenceModel.modelBytes(), ours, null, null, null));
        byte[] ourListing = SpmTools.run("spm_normalize", "--model=" + model, "--decompile");

        assertLinesEqual(referenceListing, ourListing);
    }

    /** SentencePiece compiles a TSV with darts-clone; our blob of the same TSV must normalize alike, in both. */
    @Test
    void normalizesUserTsvRulesLikeSpmCompilingTheSameTsv(@TempDir Path dir) throws Exception {
        String tsv = String.join("\n",
                "61\t62",
                "61 62\t",
                "61 62 63\t1F600 20",
                "62 62 62\t41",
                "FF21\t61 61",
                "1D400 30A\tC5",
                "3000\t20",
                "41\t61",
                "9\t20 20",
                "D\t",
                "E9\t65 301",
                "");
        Path rulesFile = dir.resolve("rules.tsv");
        Files.writeString(rulesFile, tsv);
        Path input = dir.resolve("input.txt");
        byte[] text = ("abc ab a bbbb Ａ𝐀\u030A \u3000x\ty\rz é\n" + "aabbbcc ababab\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(text);
        all.writeBytes(TrickyText.bytes());
        Files.write(input, all.toByteArray());

        byte[] expected = SpmTools.run("spm_normalize", "--normalization_rule_tsv=" + rulesFile,
                "--remove_extra_whitespaces=false", input.toString());

        byte[] ours = NormalizationRules.compileTsv(tsv);
        assertLinesEqual(expected, applyPerLine(PrecompiledCharsMap.parse(ours), all.toByteArray()));

        Path model = dir.resolve("tsv.model");
        Files.write(model, ModelProtoEdit.withNormalizer(ReferenceModel.modelBytes(), ours, null, null, null));
        assertLinesEqual(expected, SpmTools.run("spm_normalize", "--model=" + model, "--remove_extra_whitespaces=false",
                input.toString()));
    }
}
