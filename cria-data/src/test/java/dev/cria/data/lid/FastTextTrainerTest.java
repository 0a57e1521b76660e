package dev.cria.data.lid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.testing.ReferenceTool;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FastTextTrainerTest {
    private static final List<String> LANGUAGES = List.of("en", "de", "fr", "nl", "es", "it");

    @TempDir
    Path dir;
    private Path train;
    private Path test;
    private List<String> testLanguages;

    /** Six languages' Lingua sentences: the first 400 of each to train on (interleaved), the next 100 to test. */
    @BeforeEach
    void splitSentences() throws IOException {
        List<List<String>> byLanguage = new ArrayList<>();
        for (String language : LANGUAGES) {
            byLanguage.add(Files.readAllLines(SharedData.file("lid/lingua-eval/sentences/" + language + ".txt")));
        }
        StringBuilder trainText = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            for (int l = 0; l < LANGUAGES.size(); l++) {
                trainText.append("__label__").append(LANGUAGES.get(l)).append(' ').append(byLanguage.get(l).get(i)).append('\n');
            }
        }
        StringBuilder testText = new StringBuilder();
        testLanguages = new ArrayList<>();
        for (int l = 0; l < LANGUAGES.size(); l++) {
            for (int i = 400; i < 500; i++) {
                testText.append(byLanguage.get(l).get(i)).append('\n');
                testLanguages.add(LANGUAGES.get(l));
            }
        }
        train = dir.resolve("train.txt");
        test = dir.resolve("test.txt");
        Files.writeString(train, trainText, StandardCharsets.UTF_8);
        Files.writeString(test, testText, StandardCharsets.UTF_8);
    }

    private static TrainingOptions small(FastTextArgs.Loss loss) {
        return TrainingOptions.defaults().withDim(16).withEpoch(10).withLr(0.5).withWordNgrams(2).withCharNgrams(2, 4)
                .withBucket(50_000).withLoss(loss);
    }

    @Test
    void modelsTrainedByCriaLoadInFasttextAndPredictTheSame() throws IOException {
        ReferenceTool fasttext = ReferenceTool.require("fasttext", "fasttext");
        for (FastTextArgs.Loss loss : List.of(FastTextArgs.Loss.SOFTMAX, FastTextArgs.Loss.HS, FastTextArgs.Loss.OVA)) {
            FastTextClassifier model = new FastTextTrainer(small(loss)).train(train, null);
            Path file = dir.resolve("cria-" + loss + ".bin");
            model.save(file);
            List<String> expected = fasttext.runLines(null, "predict-prob", file.toString(), test.toString(), "3");
            FastTextClassifierTest.assertLinesEqual(expected,
                    FastTextClassifierTest.criaLines(FastTextClassifier.load(file), test, 3, 0f));
            double accuracy = accuracy(expected);
            assertTrue(accuracy > 0.9, loss + ": held-out accuracy " + accuracy);
        }
    }

    @Test
    void loadsModelsTrainedByFasttextAndPredictsTheSame() throws IOException {
        ReferenceTool fasttext = ReferenceTool.require("fasttext", "fasttext");
        String[][] configs = {
            {"softmax", "-wordNgrams", "2", "-minn", "2", "-maxn", "4", "-bucket", "50000"},
            {"hs", "-minn", "3", "-maxn", "5", "-bucket", "20000"},
            {"ova"},
        };
        for (String[] config : configs) {
            Path prefix = dir.resolve("ft-" + config[0]);
            List<String> args = new ArrayList<>(List.of("supervised", "-input", train.toString(), "-output",
                    prefix.toString(), "-dim", "12", "-epoch", "5", "-lr", "0.5", "-thread", "1", "-verbose", "0",
                    "-loss", config[0]));
            args.addAll(List.of(config).subList(1, config.length));
            fasttext.run(null, args.toArray(String[]::new));
            Path file = Path.of(prefix + ".bin");
            List<String> expected = fasttext.runLines(null, "predict-prob", file.toString(), test.toString(), "-1",
                    "0.0001");
            FastTextClassifierTest.assertLinesEqual(expected,
                    FastTextClassifierTest.criaLines(FastTextClassifier.load(file), test, -1, 0.0001f));
        }
    }

    @Test
    void oneThreadGivesTheSameModelEveryTime() throws IOException {
        Path a = dir.resolve("a.bin");
        Path b = dir.resolve("b.bin");
        new FastTextTrainer(small(FastTextArgs.Loss.HS)).train(train, null).save(a);
        new FastTextTrainer(small(FastTextArgs.Loss.HS)).train(train, null).save(b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void recordsNoBucketsWhenNoNgramsAreUsedAsFasttextDoes() throws IOException {
        FastTextClassifier model = new FastTextTrainer(TrainingOptions.defaults().withDim(8)).train(train, null);
        assertEquals(0, model.args().bucket());
        assertEquals(6, model.dictionary().nlabels());
    }

    private double accuracy(List<String> predictions) {
        int right = 0;
        for (int i = 0; i < predictions.size(); i++) {
            if (predictions.get(i).startsWith("__label__" + testLanguages.get(i) + " ")) {
                right++;
            }
        }
        return right / (double) predictions.size();
    }
}
