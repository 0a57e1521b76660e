package dev.cria.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.tokenizer.spm.SentencePieceModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shortened quickstart (a spread of 700 Europarl documents, 6 training steps of the tiny model) run twice: the
 * summary's contract, the report stating the same numbers with its charts, the artifacts read by the individual
 * commands, and the same numbers from the same seed and steps (with a different thread count, which must not matter).
 */
class QuickstartCommandTest {

    private static final String[] SHORT = {"--documents", "700", "--steps", "6", "--vocab-size", "400", "--seed", "3"};

    @Test
    void shortenedRecipeRunsEndToEndReportsItsNumbersAndRepeatsThemExactly(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        CliRun a = CliRun.run(args(first, "2"));
        assertEquals(0, a.exitCode(), a.stderr());
        List<String> out = a.out().strip().lines().toList();
        int n = out.size();
        assertTrue(out.get(n - 3).matches("val_loss: \\d+\\.\\d{4}"), a.out());
        assertTrue(out.get(n - 2).matches("val_perplexity: \\d+\\.\\d{2}"), a.out());
        assertEquals("report: " + first.toAbsolutePath().resolve("report.html"), out.get(n - 1));

        // Perplexity is e^loss, checked from the printed numbers.
        double valLoss = Double.parseDouble(out.get(n - 3).substring("val_loss: ".length()));
        double perplexity = Double.parseDouble(out.get(n - 2).substring("val_perplexity: ".length()));
        assertEquals(Math.exp(valLoss), perplexity, 0.006);

        // The validation before the first step predicts about uniformly over the vocabulary: ln(400) = 5.99 nats.
        List<JsonNode> metrics = metrics(first.resolve("train/metrics.jsonl"));
        JsonNode v0 = metrics.stream().filter(m -> m.has("val_loss") && m.path("step").asInt() == 0).findFirst().orElseThrow();
        assertEquals(Math.log(400), v0.path("val_loss").asDouble(), 0.3);
        JsonNode last = metrics.stream().filter(m -> m.has("val_loss")).reduce((x, y) -> y).orElseThrow();
        assertEquals(6, last.path("step").asInt());
        assertEquals(String.format(java.util.Locale.ROOT, "%.4f", last.path("val_loss").asDouble()), out.get(n - 3).substring(10));
        assertEquals(6, metrics.stream().filter(m -> m.has("loss")).count());

        // The report states the summary verbatim (numbers included) and carries its charts inline.
        String report = Files.readString(first.resolve("report.html"), StandardCharsets.UTF_8);
        for (String line : out) {
            assertTrue(report.contains(escape(line)), "report lacks: " + line);
        }
        assertTrue(count(report, "<svg") >= 5, "charts: " + count(report, "<svg"));
        for (String stage : List.of("line_dedup", "lid", "meta_filter", "perplexity", "perplexity_bucket", "c4_quality",
                "gopher_quality", "gopher_repetition")) {
            assertTrue(report.contains("<td class=\"l\">" + stage + "</td>"), "funnel lacks " + stage);
        }
        assertTrue(report.contains("./cria train --config " + first.toAbsolutePath().resolve("train.yaml")), "commands");

        // The artifacts work with the individual commands: the tokenizer loads with 400 pieces and LLaMA's byte
        // fallback, the second recipe reruns with cria data run to the same kept pages, the GGUF generates.
        SentencePieceModel spm = SentencePieceModel.load(first.resolve("tokenizer/tokenizer.model"));
        assertEquals(400, spm.vocabSize());
        assertTrue(spm.byteFallback());
        Path rerun = dir.resolve("rerun");
        CliRun data = CliRun.run("data", "run", first.resolve("recipe-ccnet-quality.yaml").toString(), "--output", rerun.toString());
        assertEquals(0, data.exitCode(), data.stderr());
        assertEquals(keptDocuments(first.resolve("ccnet/kept/funnel.json")), keptDocuments(rerun.resolve("funnel.json")));
        CliRun gen = CliRun.run("generate", "--model", first.resolve("train/model.gguf").toString(), "--prompt", "The European Parliament",
                "--max-tokens", "40", "--temperature", "0.8", "--top-k", "40", "--seed", "3", "--threads", "1");
        assertEquals(0, gen.exitCode(), gen.stderr());
        String sample = out.stream().filter(l -> l.startsWith("  The European Parliament | ")).findFirst().orElseThrow();
        assertEquals(sample.substring("  The European Parliament | ".length()), gen.out().stripTrailing().replace('\n', ' '));

        // Same seed and steps, one thread instead of two: the same numbers, funnel and samples.
        CliRun b = CliRun.run(args(second, "1"));
        assertEquals(0, b.exitCode(), b.stderr());
        assertEquals(comparable(a.out(), first), comparable(b.out(), second));
    }

    private static String[] args(Path output, String threads) {
        String[] args = new String[SHORT.length + 5];
        args[0] = "quickstart";
        args[1] = "--output";
        args[2] = output.toString();
        args[3] = "--threads";
        args[4] = threads;
        System.arraycopy(SHORT, 0, args, 5, SHORT.length);
        return args;
    }

    /** The summary without what may differ between runs: the wall time, the throughput and the output folder. */
    private static List<String> comparable(String out, Path folder) {
        return out.strip().lines().filter(l -> !l.startsWith("wall time:"))
                .map(l -> l.replaceAll(", [0-9]+ tokens/s$", ""))
                .map(l -> l.replace(folder.toAbsolutePath().toString(), "OUT")).toList();
    }

    private static List<JsonNode> metrics(Path file) throws Exception {
        ObjectMapper json = new ObjectMapper();
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private static long keptDocuments(Path funnel) throws Exception {
        return new ObjectMapper().readTree(funnel.toFile()).path("output").path("documents").asLong();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
