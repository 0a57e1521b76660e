package dev.cria.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.testing.ReferenceTool;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainClassifierCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesABinThatFasttextAndCriaLidPredictIdentically() throws IOException {
        ReferenceTool fasttext = ReferenceTool.require("fasttext", "fasttext");
        StringBuilder train = new StringBuilder();
        StringBuilder test = new StringBuilder();
        for (String language : List.of("en", "de", "fr")) {
            List<String> lines = Files.readAllLines(SharedData.file("lid/lingua-eval/sentences/" + language + ".txt"));
            lines.subList(0, 300).forEach(l -> train.append("__label__").append(language).append(' ').append(l).append('\n'));
            lines.subList(300, 340).forEach(l -> test.append(l).append('\n'));
        }
        Path trainFile = dir.resolve("train.txt");
        Path testFile = dir.resolve("test.txt");
        Path model = dir.resolve("model.bin");
        Files.writeString(trainFile, train, StandardCharsets.UTF_8);
        Files.writeString(testFile, test, StandardCharsets.UTF_8);

        LidCommandTest.Result trained = LidCommandTest.run(new byte[0], "train-classifier", "--input",
                trainFile.toString(), "--output", model.toString(), "--dim", "10", "--epoch", "8", "--lr", "0.5",
                "--loss", "hs", "--minn", "2", "--maxn", "4", "--bucket", "20000", "--word-ngrams", "2");
        assertEquals(0, trained.exit(), trained.err());
        assertTrue(trained.err().contains("3 labels"), trained.err());

        String expected = new String(fasttext.run(null, "predict-prob", model.toString(), testFile.toString(), "2"),
                StandardCharsets.UTF_8);
        LidCommandTest.Result lid = LidCommandTest.run(new byte[0], "lid", "--model", model.toString(), "--k", "2",
                "--input", testFile.toString());
        assertEquals(0, lid.exit(), lid.err());
        assertEquals(expected, lid.out());
    }

    @Test
    void rejectsAnUnknownLoss() throws IOException {
        Path trainFile = dir.resolve("train.txt");
        Files.writeString(trainFile, "__label__a x\n");
        LidCommandTest.Result r = LidCommandTest.run(new byte[0], "train-classifier", "--input", trainFile.toString(),
                "--output", dir.resolve("m.bin").toString(), "--loss", "ns");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("--loss must be softmax, hs or ova"), r.err());
    }
}
