package dev.cria.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.cli.CliStreams;
import dev.cria.cli.Main;
import dev.cria.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cria data lm score} and {@code cria data train-lm} against KenLM's recorded output. */
class LmCommandsTest {

    /** Stands in for the {@code data} parent command while Main does not register these commands. */
    @Command(name = "data", subcommands = {LmCommand.class, TrainLmCommand.class})
    static final class Data {
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        CliStreams streams = new CliStreams(new ByteArrayInputStream(stdin), out, errStream);
        CommandLine cli = Main.commandLine(streams);
        CommandLine data = cli.getSubcommands().get("data");
        if (data == null) {
            cli.addSubcommand(new CommandLine(new Data()));
        } else {
            if (!data.getSubcommands().containsKey("lm")) {
                data.addSubcommand(new CommandLine(new LmCommand()));
            }
            if (!data.getSubcommands().containsKey("train-lm")) {
                data.addSubcommand(new CommandLine(new TrainLmCommand()));
            }
        }
        // writers set before a subcommand is added do not reach it; set them again as registration in Main would
        cli.setOut(cli.getOut());
        cli.setErr(cli.getErr());
        int exit = cli.execute(args);
        cli.getErr().flush();
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void scorePrintsQuerysLineTotalsOovCountsAndPerplexities() throws IOException {
        Path arpa = SharedData.file("lm/o3.arpa");
        Run r = run(new byte[0], "data", "lm", "score", "--model", arpa.toString(), "--input", SharedData.file("lm/test.txt").toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        List<String> expected = Files.readAllLines(SharedData.file("lm/o3.query.lines.tsv"));
        assertEquals(2002, lines.size());
        for (int i = 0; i < 2000; i++) {
            String[] got = lines.get(i).split("\t");
            String[] want = expected.get(i + 1).split("\t");
            assertEquals(2, got.length);
            assertEquals(Float.parseFloat(want[1]), Float.parseFloat(got[0]), 1e-4, "line " + (i + 1));
            assertEquals(want[2], got[1], "OOVs of line " + (i + 1));
        }
        assertTrue(lines.get(2000).startsWith("perplexity: "), lines.get(2000));
        assertTrue(lines.get(2001).startsWith("perplexity_excluding_oov: "), lines.get(2001));
        assertEquals(688.4068602035309, Double.parseDouble(lines.get(2000).substring(12)), 1e-9);
        assertEquals(325.5334548507186, Double.parseDouble(lines.get(2001).substring(26)), 1e-9);
    }

    @Test
    void scoreReadsStandardInputAndPrintsFloatsAsKenlmDoes() {
        byte[] text = "alice was beginning to get very tired of sitting by her sister on the bank,\n".getBytes(StandardCharsets.UTF_8);
        Run r = run(text, "data", "lm", "score", "--model", SharedData.file("lm/o3.arpa").toString());
        assertEquals(0, r.exit(), r.err());
        // query prints this line of train.txt the same way: shortest float, no exponent
        assertTrue(r.out().matches("-\\d+\\.\\d+\t0\nperplexity: [0-9.]+\nperplexity_excluding_oov: [0-9.]+\n"), r.out());
    }

    @Test
    void scoreReportsABadArpaFileWithItsLine(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.arpa");
        Files.writeString(bad, "\\data\\\nngram 1=3\n\n\\1-grams:\n-1\t<unk>\n0\t<s>\n\n\\end\\\n");
        Run r = run(new byte[0], "data", "lm", "score", "--model", bad.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(bad + ":7: the \\1-grams: section has 2 n-grams but the header announces 3"), r.err());
    }

    @Test
    void trainLmWritesTheSameModelAsLmplz(@TempDir Path dir) throws IOException {
        Path arpa = dir.resolve("o3.arpa");
        Run r = run(new byte[0], "data", "train-lm", "-o", "3", "--text", SharedData.file("lm/train.txt").toString(),
                "--arpa", arpa.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("unigram tokens 209758 types 23372"), r.err());
        Map<String, Float> ours = probabilities(arpa);
        Map<String, Float> lmplz = probabilities(SharedData.file("lm/o3.arpa"));
        assertEquals(lmplz.keySet(), ours.keySet());
        for (Map.Entry<String, Float> e : lmplz.entrySet()) {
            assertEquals(e.getValue(), ours.get(e.getKey()), 1e-4, e.getKey());
        }
    }

    @Test
    void trainLmOnTinyTextNeedsTheDiscountFallback(@TempDir Path dir) throws IOException {
        byte[] text = "a b c\n".getBytes(StandardCharsets.UTF_8);
        Run strict = run(text, "data", "train-lm", "--order", "2");
        assertEquals(1, strict.exit());
        assertTrue(strict.err().contains("--discount_fallback"), strict.err());
        Path out = dir.resolve("tiny.arpa");
        Run lenient = run(text, "data", "train-lm", "--order", "2", "--discount_fallback", "--output", out.toString());
        assertEquals(0, lenient.exit(), lenient.err());
        assertTrue(Files.readString(out).startsWith("\\data\\\nngram 1=6\nngram 2=4\n"), Files.readString(out));
    }

    /** n-gram → log10 probability of every ARPA entry. */
    private static Map<String, Float> probabilities(Path arpa) throws IOException {
        Map<String, Float> out = new HashMap<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(arpa)) {
            if (line.startsWith("\\")) {
                inSection = line.endsWith("-grams:");
            } else if (inSection && !line.isEmpty()) {
                String[] f = line.split("\t");
                out.put(f[1], Float.parseFloat(f[0]));
            }
        }
        return out;
    }
}
