package dev.cria.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.cli.CliStreams;
import dev.cria.cli.Main;
import dev.cria.testing.ReferenceTool;
import dev.cria.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LidCommandTest {

    @TempDir
    Path dir;

    /** Runs {@code cria lid ARGS} (the command mounted directly under the root) on {@code stdin}. */
    static Result run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandLine cli = Main.commandLine(new CliStreams(new ByteArrayInputStream(stdin), out, errStream));
        cli.addSubcommand("lid", new LidCommand());
        cli.addSubcommand("train-classifier", new TrainClassifierCommand());
        // Streams and the error handler reach only subcommands present when they are set: set them again.
        cli.setOut(cli.getOut());
        cli.setErr(cli.getErr());
        cli.setExecutionExceptionHandler(cli.getExecutionExceptionHandler());
        int exit = cli.execute(args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    record Result(int exit, String out, String err) {
    }

    private Path sample() throws IOException {
        StringBuilder text = new StringBuilder();
        for (String language : List.of("en", "de", "ja", "ru", "sw")) {
            List<String> lines = Files.readAllLines(SharedData.file("lid/lingua-eval/sentences/" + language + ".txt"));
            // All the sentences: over 64 KiB, so lines straddle the command's read buffer.
            lines.forEach(l -> text.append(l).append('\n'));
            List<String> words = Files.readAllLines(SharedData.file("lid/lingua-eval/single-words/" + language + ".txt"));
            words.subList(0, 40).forEach(l -> text.append(l).append('\n'));
        }
        text.append("\n\t\nla dernière ligne sans fin de ligne");
        Path input = dir.resolve("sample.txt");
        Files.writeString(input, text, StandardCharsets.UTF_8);
        return input;
    }

    @Test
    void printsExactlyWhatFasttextPredictProbPrints() throws IOException {
        ReferenceTool fasttext = ReferenceTool.require("fasttext", "fasttext");
        Path model = SharedData.file("lid/lid.176.ftz");
        Path input = sample();
        String expectedK1 = new String(fasttext.run(null, "predict-prob", model.toString(), input.toString(), "1"),
                StandardCharsets.UTF_8);
        Result k1 = run(new byte[0], "lid", "--model", model.toString(), "--input", input.toString());
        assertEquals(0, k1.exit(), k1.err());
        assertEquals(expectedK1, k1.out());

        String expectedK4 = new String(fasttext.run(null, "predict-prob", model.toString(), input.toString(), "4", "0.05"),
                StandardCharsets.UTF_8);
        Result k4 = run(Files.readAllBytes(input), "lid", "--model", model.toString(), "--k", "4", "--threshold", "0.05");
        assertEquals(0, k4.exit(), k4.err());
        assertEquals(expectedK4, k4.out());
    }

    @Test
    void answersWithLinguaAndIsoLabelsWithoutAModel() {
        Result r = run("Das ist ein schöner Tag heute.\nThis is a lovely day today.\n".getBytes(StandardCharsets.UTF_8),
                "lid", "--languages", "en,de,fr", "--k", "2");
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].matches("__label__de [0-9.e-]+ __label__(en|fr) [0-9.e-]+"), lines[0]);
        assertTrue(lines[1].startsWith("__label__en 1 "), lines[1]);
    }

    @Test
    void failsClearlyOnABadModelOrK() throws IOException {
        Path notAModel = dir.resolve("notes.bin");
        Files.writeString(notAModel, "plain words, not a model");
        Result bad = run(new byte[0], "lid", "--model", notAModel.toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains(notAModel + ": at offset 0: not a fastText model"), bad.err());
        Result badK = run(new byte[0], "lid", "--model", notAModel.toString(), "--k", "0");
        assertEquals(1, badK.exit());
        assertTrue(badK.err().contains("--k must be 1 or more"), badK.err());
    }
}
