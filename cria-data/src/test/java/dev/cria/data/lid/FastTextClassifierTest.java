package dev.cria.data.lid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.testing.ReferenceTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FastTextClassifierTest {

    @TempDir
    Path dir;

    /** Cria's predict-prob lines for every line of {@code input}, as the command line tool would print them. */
    static List<String> criaLines(FastTextClassifier model, Path input, int k, float threshold) throws IOException {
        byte[] bytes = Files.readAllBytes(input);
        FastTextClassifier.Scratch s = model.newScratch();
        StringBuilder out = new StringBuilder();
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            boolean newline = i < bytes.length && bytes[i] == '\n';
            if (newline || (i == bytes.length && i > start)) {
                int n = model.predictLine(bytes, start, i, newline, k, threshold, s);
                out.setLength(0);
                model.appendPredictProb(s, n, out);
                lines.add(out.substring(0, out.length() - 1));
                start = i + 1;
            }
        }
        return lines;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sentences", "word-pairs", "single-words"})
    void printsTheSameLabelsAndProbabilitiesAsFasttextOnEveryLinguaText(String category) throws IOException {
        ReferenceTool fasttext = ReferenceTool.require("fasttext", "fasttext");
        FastTextClassifier model = FastTextClassifier.load(LinguaTexts.model());
        Path input = dir.resolve(category + ".txt");
        int lines = LinguaTexts.concatenate(category, 1, input).size();
        List<String> expected = fasttext.runLines(null, "predict-prob", LinguaTexts.model().toString(), input.toString(), "1");
        List<String> actual = criaLines(model, input, 1, 0f);
        assertEquals(lines, expected.size());
        assertLinesEqual(expected, actual);
    }

    @Test
    void printsTheSameTopFiveAboveAThresholdAsFasttext() throws IOException {
        ReferenceTool fasttext = ReferenceTool.require("fasttext", "fasttext");
        FastTextClassifier model = FastTextClassifier.load(LinguaTexts.model());
        Path input = dir.resolve("sample.txt");
        for (String category : LinguaTexts.CATEGORIES) {
            Path part = dir.resolve(category);
            LinguaTexts.concatenate(category, 7, part);
            Files.write(input, Files.readAllBytes(part), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
        for (String threshold : List.of("0.001", "0.2")) {
            List<String> expected = fasttext.runLines(null, "predict-prob", LinguaTexts.model().toString(),
                    input.toString(), "5", threshold);
            assertLinesEqual(expected, criaLines(model, input, 5, Float.parseFloat(threshold)));
        }
    }

    @Test
    void treatsBlankLinesControlCharactersAndAFinalLineWithoutNewlineAsFasttextDoes() throws IOException {
        ReferenceTool fasttext = ReferenceTool.require("fasttext", "fasttext");
        FastTextClassifier model = FastTextClassifier.load(LinguaTexts.model());
        Path input = dir.resolve("edge.txt");
        String text = "\n   \n\tDas ist\u000bein Test\r\n__label__en only a label follows __label__de\n"
                + "ok\u0000ok\fok\n日本語のテキストです\nΕλληνικά κείμενα\nthe last line has no newline";
        Files.writeString(input, text, StandardCharsets.UTF_8);
        List<String> expected = fasttext.runLines(null, "predict-prob", LinguaTexts.model().toString(), input.toString(),
                "3");
        List<String> actual = criaLines(model, input, 3, 0f);
        assertEquals(expected, actual);
    }

    @Test
    void predictOnAStringAddsTheEndOfSentenceTokenAsFasttextsPythonBindingDoes() throws IOException {
        ReferenceTool fasttext = ReferenceTool.require("fasttext", "fasttext");
        FastTextClassifier model = FastTextClassifier.load(LinguaTexts.model());
        String sentence = "Le chat est assis sur le tapis depuis ce matin.";
        Path input = dir.resolve("one.txt");
        Files.writeString(input, sentence + "\n", StandardCharsets.UTF_8);
        String expected = fasttext.runLines(null, "predict-prob", LinguaTexts.model().toString(), input.toString(), "2")
                .getFirst();
        List<Prediction> predictions = model.predict(sentence, 2, 0);
        String actual = predictions.get(0).label() + " " + CFloatFormat.g6(predictions.get(0).probability()) + " "
                + predictions.get(1).label() + " " + CFloatFormat.g6(predictions.get(1).probability());
        assertEquals(expected, actual);
        assertEquals("fr", predictions.getFirst().language());
    }

    @Test
    void readsTheLid176HeaderAndQuantizedMatrices() throws IOException {
        // Values decoded from the file independently (DATA-RULES §13).
        FastTextClassifier model = FastTextClassifier.load(LinguaTexts.model());
        FastTextArgs args = model.args();
        assertEquals(16, args.dim());
        assertEquals(2, args.minn());
        assertEquals(4, args.maxn());
        assertEquals(2_000_000, args.bucket());
        assertEquals(1, args.wordNgrams());
        assertEquals(FastTextArgs.Loss.HS, args.loss());
        assertEquals(7235, model.dictionary().nwords());
        assertEquals(176, model.dictionary().nlabels());
        assertEquals("__label__en", model.dictionary().label(0));
        assertTrue(model.quantized());
    }

    @Test
    void writesLid176BackByteForByte() throws IOException {
        Path copy = dir.resolve("copy.ftz");
        FastTextClassifier.load(LinguaTexts.model()).save(copy);
        assertEquals(-1L, Files.mismatch(LinguaTexts.model(), copy));
    }

    static void assertLinesEqual(List<String> expected, List<String> actual) {
        assertEquals(expected.size(), actual.size(), "line count");
        int mismatches = 0;
        String first = null;
        for (int i = 0; i < expected.size(); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                if (first == null) {
                    first = "line " + (i + 1) + ": fastText '" + expected.get(i) + "', Cria '" + actual.get(i) + "'";
                }
                mismatches++;
            }
        }
        assertEquals(0, mismatches, mismatches + " of " + expected.size() + " lines differ; first: " + first);
    }
}
