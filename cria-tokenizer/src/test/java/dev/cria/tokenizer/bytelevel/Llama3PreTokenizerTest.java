package dev.cria.tokenizer.bytelevel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The hand-written scanner against the regex it replaces, run by java.util.regex with Unicode classes. */
class Llama3PreTokenizerTest {

    private static final RegexPreTokenizer REGEX = new RegexPreTokenizer(Llama3PreTokenizer.PATTERN);

    private static List<String> chunks(PreTokenizer preTokenizer, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        preTokenizer.split(utf8, 0, utf8.length,
                (start, end) -> out.add(new String(utf8, start, end - start, StandardCharsets.UTF_8)));
        return out;
    }

    private static void assertSplitsLikeRegex(String text) {
        assertEquals(chunks(REGEX, text), chunks(Llama3PreTokenizer.INSTANCE, text), () -> "text: " + text);
    }

    @Test
    void splitsExamplesAsTheLlama3RegexDoes() {
        assertEquals(List.of("Hello", ",", " world", "!"), chunks(Llama3PreTokenizer.INSTANCE, "Hello, world!"));
        assertEquals(List.of("don", "'t", " stop"), chunks(Llama3PreTokenizer.INSTANCE, "don't stop"));
        assertEquals(List.of("123", "456", "7"), chunks(Llama3PreTokenizer.INSTANCE, "1234567"));
        assertEquals(List.of("a", "  ", " b"), chunks(Llama3PreTokenizer.INSTANCE, "a   b"));
        assertEquals(List.of("a", " \n\n", "  ", " b"), chunks(Llama3PreTokenizer.INSTANCE, "a \n\n   b"));
        assertEquals(List.of(" ", "1"), chunks(Llama3PreTokenizer.INSTANCE, " 1"));
        assertEquals(List.of(" ...\n\n", "x"), chunks(Llama3PreTokenizer.INSTANCE, " ...\n\nx"));
        assertEquals(List.of("\tword"), chunks(Llama3PreTokenizer.INSTANCE, "\tword"));
        assertEquals(List.of("   "), chunks(Llama3PreTokenizer.INSTANCE, "   "));
    }

    @Test
    void scannerSplitsLikeTheRegexOnRandomCodePoints() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(16);
            for (int k = 0; k < length; k++) {
                text.appendCodePoint(randomCodePoint(random));
            }
            assertSplitsLikeRegex(text.toString());
        }
    }

    /** Mostly ASCII and whitespace, where the rules interact; otherwise any scalar value in any plane. */
    private static int randomCodePoint(Random random) {
        String interesting = " \t\n\r\u000B\u000C\u0085\u00A0\u1680\u2000\u2028\u2029\u202F\u3000'sStTlLrReEvVmMdD\u017F"
                + "\u212A09\u00BD\u00B2\u2167.,!?-_\"#<|>\u0301\u200B";
        return switch (random.nextInt(4)) {
            case 0 -> interesting.charAt(random.nextInt(interesting.length()));
            case 1 -> 0x20 + random.nextInt(0x5F);
            case 2 -> random.nextInt(0x3000);
            default -> {
                int cp;
                do {
                    cp = random.nextInt(Character.MAX_CODE_POINT + 1);
                } while (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
                yield cp;
            }
        };
    }

    @Test
    void scannerSplitsLikeTheRegexOnBooksAndSeventyNineLanguages() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(SharedData.file("tokenizer/spm-trained/botchan.txt"));
        files.add(SharedData.file("samples/books/clocasto_pg2701.txt"));
        try (Stream<Path> listing = Files.list(SharedData.file("lid/lingua-eval/sentences"))) {
            listing.sorted().forEach(files::add);
        }
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            assertSplitsLikeRegex(text);
        }
    }
}
