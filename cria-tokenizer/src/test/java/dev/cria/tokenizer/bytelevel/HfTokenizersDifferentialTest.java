package dev.cria.tokenizer.bytelevel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compares against HF tokenizers (the Rust library, through DJL, offline) on the same tokenizer.json.
 *
 * <p>HF always cuts special-token text out of the input, so the comparison uses
 * {@link ByteLevelBpe#encodeWithSpecials} with every special token allowed.
 */
class HfTokenizersDifferentialTest {

    private static HuggingFaceTokenizer hf;
    private static ByteLevelBpe bpe;

    @BeforeAll
    static void load() throws IOException {
        System.setProperty("ai.djl.offline", "true");
        Path json = Llama3Fixture.tokenizerJsonPath();
        hf = HuggingFaceTokenizer.builder()
                .optTokenizerPath(json)
                .optAddSpecialTokens(false)
                .optTruncation(false)
                .optPadding(false)
                .build();
        bpe = Llama3Fixture.tokenizer();
    }

    @AfterAll
    static void close() {
        if (hf != null) {
            hf.close();
        }
    }

    private static void assertSameIds(String text) {
        long[] expected = hf.encode(text, false, false).getIds();
        int[] actual = bpe.encodeWithSpecials(text, bpe.specialTokens());
        assertArrayEquals(Arrays.stream(expected).mapToInt(Math::toIntExact).toArray(), actual,
                () -> "text: " + escape(text));
    }

    @Test
    void matchesHfOnEveryLineOfBotchanAndOnTheWholeBook() throws IOException {
        String book = Files.readString(SharedData.file("tokenizer/spm-trained/botchan.txt"), StandardCharsets.UTF_8);
        for (String line : book.split("\n")) {
            assertSameIds(line);
            assertSameIds(line + "\n");
        }
        assertSameIds(book);
    }

    @Test
    void matchesHfOnSentencesInSeventyNineLanguages() throws IOException {
        Path dir = SharedData.file("lid/lingua-eval/sentences");
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.sorted().toList();
        }
        assertEquals(79, files.size());
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> sample = lines.subList(0, Math.min(60, lines.size()));
            for (String line : sample) {
                assertSameIds(line);
            }
            assertSameIds(String.join("\r\n", sample));
        }
    }

    @Test
    void matchesHfOnContractionAndWhitespaceEdgeCases() {
        String[] texts = {
            "'\u017Fa", "'\u017F", "x'\u017Fay", "'Sa", "'sT", "'LLama", "'lL", "'REally", "'vEx", "'dd", "'mm", "'tt",
            "'x", "''s", "a''ll", "'\u212Aa", "'\u0130a", "\u0085abc", "a\u0085\u0085b", " \u00A0x", "\u00A0 x",
            "\t\tx", "\t x", " \tx", "x \n y", "x \n\n  y", " \r\n\r\n z", "\r \r x", "a  ", "a \t", "\u2028\u2029a",
            "\u000B\u000Cx", "1234567", "12 345", "\u0661\u0662\u0663\u0664", "x\u00BDy", "\u216Bx", " !!\n\n",
            " !!\r\n x", "!!\t\n", "  !x", "\u200Bx\u200B", "e\u0301e\u0301", "\u0301abc", "\uD83E\uDD99abc",
            " \uD83E\uDD99abc", "\n\uD83E\uDD99", ""
        };
        for (String text : texts) {
            assertSameIds(text);
        }
    }

    @Test
    void matchesHfOnRandomStringsOverATrickyAlphabet() {
        String[] alphabet = {
            "a", "Z", "é", "e\u0301", "ß", "ſ", "İ", "0", "7", "½", "²", "Ⅻ", "٣", "１", "'", "'s", "'S", "'ll", "'LL",
            "'re", "'Ve", "'d", "'M", "'t", "'x", "’", " ", "  ", "   ", "\t", "\n", "\r\n", "\r", "\n\n", "\u000B",
            "\u000C", "\u0085", "\u00A0", "\u2028", "\u3000", "\u200B", "中", "文字", "日本語", "한국", "ไทย", "العربية",
            "हिन्दी", "Ελλά", "Москва", "🦙", "👍🏽", "👨‍👩‍👧", "🇺🇸", "\uD800\uDC00", ".", ",", "!", "?", "...", "-", "_",
            "(", ")", "[", "{", "\"", "#", "$", "%", "&", "*", "+", "/", "\\", "<", ">", "|", "<|eot_id|>",
            "<|begin_of_text|>", "<|", "|>", "=", "~", "`", "^", "@", "\u0000", "\u0001", "\u007F", "\uFFFD",
            "Hello", "world", "don", "ABC", "x2", "3.14", "1000000", "\u0301", "\u05D0", "\u0627\u064E"
        };
        Random random = new Random(20240614);
        for (int i = 0; i < 5000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(24);
            for (int k = 0; k < length; k++) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            assertSameIds(text.toString());
        }
    }

    @Test
    void matchesHfOnTextDecodedFromRandomBytes() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            assertSameIds(text);
            assertArrayEquals(bpe.encode(text), bpe.encode(bytes), "bytes are repaired as Java decodes them");
        }
    }

    @Test
    void matchesHfOnLongRunsThatTakeTheHeapMergePath() {
        Random random = new Random(11);
        List<String> texts = new ArrayList<>();
        texts.add("a".repeat(5000));
        texts.add("ab".repeat(700) + " " + "!?".repeat(300));
        texts.add(" ".repeat(1000) + "x");
        texts.add("\n".repeat(300) + "\t".repeat(300));
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            letters.append((char) ('a' + random.nextInt(26)));
        }
        texts.add(letters.toString());
        texts.add("ЙцукенгшщзхъфывапролджэячсмитьбюЁ".repeat(20));
        texts.add("🦙🦙🦙🦙".repeat(50));
        for (String text : texts) {
            assertSameIds(text);
        }
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().limit(200).forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7F) {
                out.appendCodePoint(cp);
            } else {
                out.append(String.format("\\u{%X}", cp));
            }
        });
        return out.append(text.length() > 200 ? "\"… (" + text.length() + " chars)" : "\"").toString();
    }
}
