package dev.cria.tokenizer.spm.normalize;

import static dev.cria.tokenizer.spm.normalize.PrecompiledCharsMapTest.assertLinesEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.tokenizer.TokenizerFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormalizationRulesTest {

    /**
     * SentencePiece's rule blobs were made with ICU's Unicode 13 tables; JDK 25 has Unicode 16. Characters added
     * since then (and sequences containing them) get rules here that SentencePiece lacks. The counts pinned below
     * hold for JDK 25's tables; each extra rule was checked against DerivedAge to involve a code point newer than
     * Unicode 13.0.
     */
    private static final boolean JDK_25_UNICODE_16 = Runtime.version().feature() == 25;

    /**
     * Code points JDK 25's nmt_nfkc maps and SentencePiece's leaves alone: 59 added in Unicode 14.0 (Latin
     * Extended-D/F modifier letters) and 98 in 15.0/16.0 (Cyrillic Extended-D, Symbols for Legacy Computing
     * Supplement), per DerivedAge.
     */
    private static final int EXPECTED_DIFFERING_CODE_POINTS = 157;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"nmt_nfkc, 537", "nfkc, 537", "nmt_nfkc_cf, 604", "nfkc_cf, 604"})
    void reproducesEveryRuleOfSentencePiecesPrecompiledRuleSet(String name, int extraRulesFromNewerUnicode)
            throws Exception {
        // The Debian package (0.1.97) embeds an nmt_nfkc blob byte-identical to the one SentencePiece 0.2.1 put into
        // botchan_bpe1k_default.model: both releases ship the same tables, so its built-in sets are the reference.
        byte[] listing = SpmTools.run("spm_normalize", "--normalization_rule_name=" + name, "--decompile");
        SortedMap<String, String> reference = NormalizationRules.parseTsv(new String(listing, StandardCharsets.UTF_8));
        SortedMap<String, String> ours = NormalizationRules.rules(name);

        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> rule : reference.entrySet()) {
            String mine = ours.get(rule.getKey());
            if (!rule.getValue().equals(mine)) {
                wrong.add(CharsMapBuilder.describe(rule.getKey()) + ": SentencePiece "
                        + CharsMapBuilder.describe(rule.getValue()) + ", ours "
                        + (mine == null ? "none" : CharsMapBuilder.describe(mine)));
            }
        }
        assertEquals(List.of(), wrong.subList(0, Math.min(20, wrong.size())), wrong.size() + " rules differ");
        int extra = ours.size() - reference.size();
        System.out.printf("%s: %d rules as SentencePiece's, %d more from newer Unicode%n", name, reference.size(),
                extra);
        if (JDK_25_UNICODE_16) {
            assertEquals(extraRulesFromNewerUnicode, extra);
        }
    }

    /**
     * Every code point through SentencePiece's nmt_nfkc blob and through ours. Where they differ, SentencePiece must
     * leave the code point alone: characters its Unicode 13 tables did not know.
     */
    @Test
    void mapsEveryCodePointLikeSentencePieceExceptCharactersNewerThanItsUnicode() throws Exception {
        PrecompiledCharsMap reference = PrecompiledCharsMap.parse(ReferenceModel.nmtNfkcBlob());
        PrecompiledCharsMap ours = PrecompiledCharsMap.parse(NormalizationRules.compile("nmt_nfkc"));
        int compared = 0;
        List<String> differing = new ArrayList<>();
        TreeMap<String, Integer> differingByBlock = new TreeMap<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            compared++;
            byte[] utf8 = Character.toString(cp).getBytes(StandardCharsets.UTF_8);
            byte[] want = reference.apply(utf8, 0, utf8.length);
            byte[] got = ours.apply(utf8, 0, utf8.length);
            if (!Arrays.equals(want, got)) {
                String at = String.format("U+%04X", cp);
                assertArrayEquals(utf8, want, at + " differs although SentencePiece's tables map it");
                differing.add(at);
                differingByBlock.merge(String.valueOf(Character.UnicodeBlock.of(cp)), 1, Integer::sum);
            }
        }
        System.out.printf("nmt_nfkc per code point: %d compared, %d differ, all unmapped by SentencePiece: %s%n",
                compared, differing.size(), differingByBlock);
        assertEquals(0x110000 - 0x800, compared);
        if (JDK_25_UNICODE_16) {
            assertEquals(EXPECTED_DIFFERING_CODE_POINTS, differing.size());
        }
    }

    @Test
    void mapsDecomposedAndJamoSequencesLikeSentencePiece() throws Exception {
        PrecompiledCharsMap reference = PrecompiledCharsMap.parse(ReferenceModel.nmtNfkcBlob());
        PrecompiledCharsMap ours = PrecompiledCharsMap.parse(NormalizationRules.compile("nmt_nfkc"));
        String[] sequences = {
            "e\u0301", "E\u0301\u0301", "A\u030A", "Ａ\u030A", "𝐀\u030A", "a\u0308\u0304", "a\u0304\u0308",
            "C\u0327\u0301", "u\u031B\u0309", "o\u0302\u0301", "s\u0323\u0307", "s\u0307\u0323", "ｶﾞ", "ﾊﾟ",
            "\u1100\u1161", "\u1100\u1161\u11A8", "\u3131\u314F", "\u3131\u314F\u3131", "\uFFA1\uFFC2\uFFA1",
            "\u1112\u1161\u11AB\u1100\u1173\u11AF", "か\u3099", "カ\u309A", "क\u093C", "\u0B47\u0B3E", "ﬃ\u0301",
            "\u03B9\u0308\u0301", "\u1FBE\u0308", "Å\u0301", "\u212B\u0301", "a\u00A0\u0301", "\uFF5E\u0301",
        };
        for (String text : sequences) {
            assertEquals(reference.apply(text), ours.apply(text), CharsMapBuilder.describe(text));
        }
        for (String line : TrickyText.LINES) {
            assertEquals(reference.apply(line), ours.apply(line), line);
        }
    }

    /**
     * Our nmt_nfkc blob placed into a copy of the reference model: SentencePiece loads it, and its normalizer and
     * encoder give the same output as with its own blob, on botchan.txt and on tricky Unicode.
     */
    @Test
    void spmLoadsOurNmtNfkcAndEncodesExactlyAsWithItsOwn(@TempDir Path dir) throws Exception {
        Path reference = ReferenceModel.modelPath();
        Path ours = dir.resolve("ours.model");
        Files.write(ours, ModelProtoEdit.withNormalizer(ReferenceModel.modelBytes(),
                NormalizationRules.compile("nmt_nfkc"), null, null, null));
        Path input = dir.resolve("input.txt");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.writeBytes(Files.readAllBytes(ReferenceModel.botchanText()));
        text.writeBytes(TrickyText.bytes());
        Files.write(input, text.toByteArray());

        String[][] commands = {
            {"spm_normalize", "--remove_extra_whitespaces=false"},
            {"spm_normalize", "--use_internal_normalization=true"},
            {"spm_encode", "--output_format=piece"},
            {"spm_encode", "--output_format=id"},
        };
        for (String[] command : commands) {
            byte[] want = SpmTools.run(command[0], "--model=" + reference, command[1], input.toString());
            byte[] got = SpmTools.run(command[0], "--model=" + ours, command[1], input.toString());
            assertTrue(want.length > text.size() / 2, String.join(" ", command) + " produced output");
            assertLinesEqual(want, got);
        }
    }

    @Test
    void compilesIdentityToAnEmptyBlobAndRejectsUnknownNames() {
        assertArrayEquals(new byte[0], NormalizationRules.compile("identity"));
        assertTrue(NormalizationRules.rules("identity").isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NormalizationRules.compile("nfkd"));
        assertTrue(e.getMessage().contains("unknown normalization rule name 'nfkd'"), e.getMessage());
    }

    @Test
    void returnsAFreshCopyOfTheCachedBlob() {
        byte[] first = NormalizationRules.compile("nfkc");
        first[10] ^= 0x55;
        byte[] second = NormalizationRules.compile("nfkc");
        assertTrue(second[10] != first[10]);
    }

    @Test
    void foldsCaseAsCaseFoldingTxtSimpleMappingsDo() {
        int[][] folds = {
            {'A', 'a'}, {'a', 'a'}, {0x03A3, 0x03C3}, {0x03C2, 0x03C3}, {0x1E9E, 0x00DF}, {0x00DF, 0x00DF},
            {0x0130, 0x0130}, {0x0131, 0x0131}, {0x212A, 'k'}, {0x00B5, 0x03BC}, {0x017F, 's'}, {0x01C5, 0x01C6},
            {0x1F88, 0x1F80}, {0x1F80, 0x1F80}, {0x0345, 0x03B9}, {0x13A0, 0x13A0}, {0xAB70, 0x13A0},
            {0x13F8, 0x13F0}, {0x1C80, 0x0432}, {0x10400, 0x10428}, {0x1E921, 0x1E943}, {0x2126, 0x03C9},
        };
        for (int[] fold : folds) {
            assertEquals(fold[1], UnicodeRuleMaps.simpleCaseFold(fold[0]), String.format("U+%04X", fold[0]));
        }
    }

    @Test
    void parsesSentencePieceRuleTsv() throws Exception {
        String tsv = "U+0041 U+030A\tU+00C5\t# Å\r\n"
                + "\n"
                + "# a comment line\n"
                + "7\t\n"
                + "8\n"
                + "3000\t20\n"
                + "1F600\t1F601 20\n"
                + "3000\t20 20\n";
        SortedMap<String, String> rules = NormalizationRules.parseTsv(tsv);
        assertEquals(Map.of("A\u030A", "Å", "\u0007", "", "\u0008", "", "\u3000", "  ", "😀", "😁 "), rules);
        assertEquals("Å. x  y", PrecompiledCharsMap.parse(NormalizationRules.compileTsv(tsv)).apply("A\u030A.\u0007 x"
                + "\u3000y"));
    }

    @Test
    void reportsTheLineAndColumnOfABadTsvEntry() {
        TokenizerFormatException notHex = assertThrows(TokenizerFormatException.class,
                () -> NormalizationRules.parseTsv("41\t42\n41 4G\t42\n"));
        assertEquals("normalization rule TSV: line 2, column 4: expected a hex code point in 1..10FFFF outside the "
                + "surrogates, found '4G'", notHex.getMessage());
        TokenizerFormatException tooLarge = assertThrows(TokenizerFormatException.class,
                () -> NormalizationRules.parseTsv("41\t110000\n"));
        assertTrue(tooLarge.getMessage().contains("line 1, column 4"), tooLarge.getMessage());
        TokenizerFormatException noSource = assertThrows(TokenizerFormatException.class,
                () -> NormalizationRules.parseTsv("\t41\n"));
        assertTrue(noSource.getMessage().contains("line 1: expected source code points"), noSource.getMessage());
        TokenizerFormatException surrogate = assertThrows(TokenizerFormatException.class,
                () -> NormalizationRules.parseTsv("D800\t41\n"));
        assertTrue(surrogate.getMessage().contains("found 'D800'"), surrogate.getMessage());
    }
}
