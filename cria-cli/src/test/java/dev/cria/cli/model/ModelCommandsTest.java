package dev.cria.cli.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.cli.CliRun;
import dev.cria.testing.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model commands on the real stories260K model, against llama2.c's expected output. */
class ModelCommandsTest {

    private static Path model(String name) {
        return SharedData.file("models/stories260K/" + name);
    }

    @Test
    void generatesLlama2csGreedyTextFromBos() throws Exception {
        CliRun run = CliRun.run("generate", "--model", model("stories260K.bin").toString(), "--tokenizer", model("tok512.bin").toString(),
                "--temperature", "0", "--max-tokens", "200", "--prompt", "", "--threads", "2");
        assertEquals(0, run.exitCode(), run.stderr());
        String expected = Files.readString(model("reference/greedy200.expected.txt"), StandardCharsets.UTF_8);
        assertTrue(run.out().startsWith(expected), "stdout starts with llama2.c's output:\n" + run.out());
        assertTrue(run.out().endsWith("\n"));
        assertTrue(run.stderr().contains("tok/s"), "timings go to stderr: " + run.stderr());
    }

    @Test
    void ggufFilesGenerateTheSameGreedyText() {
        CliRun a = CliRun.run("generate", "--model", model("stories260K-f32.gguf").toString(), "--temperature", "0", "--max-tokens", "100",
                "--prompt", "Once upon a time");
        CliRun b = CliRun.run("generate", "--model", model("stories260K-llamacpp-f32.gguf").toString(), "--temperature", "0",
                "--max-tokens", "100", "--prompt", "Once upon a time");
        assertEquals(0, a.exitCode(), a.stderr());
        assertEquals(a.out(), b.out());
        assertTrue(!a.out().startsWith("Once upon a time"), "the prompt is not echoed");
    }

    @Test
    void benchPrintsPrefillAndDecodeLines() {
        CliRun run = CliRun.run("bench", "--model", model("stories260K-f32.gguf").toString(), "--prompt-tokens", "16", "--gen-tokens", "16",
                "--repetitions", "2", "--threads", "1");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.out().matches("(?s)prefill: [0-9.]+ tok/s ± [0-9.]+\ndecode: [0-9.]+ tok/s ± [0-9.]+\n"), run.out());
        CliRun decodeOnly = CliRun.run("bench", "--model", model("stories260K-f32.gguf").toString(), "--prompt-tokens", "0",
                "--gen-tokens", "8", "--repetitions", "1");
        assertTrue(decodeOnly.out().startsWith("decode: "), decodeOnly.out());
    }

    @Test
    void perplexityOfTheModelsOwnTextIsLow(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("story.txt");
        String story = Files.readString(model("reference/greedy200.expected.txt"), StandardCharsets.UTF_8);
        Files.writeString(text, story.repeat(4));
        CliRun run = CliRun.run("perplexity", "--model", model("stories260K-f32.gguf").toString(), "--input", text.toString(),
                "--context", "128");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.out().startsWith("perplexity: "), run.out());
        double ppl = Double.parseDouble(run.out().substring("perplexity: ".length()).split(" ")[0]);
        assertTrue(ppl > 1 && ppl < 3, "the model's own greedy text is very predictable: " + ppl);
    }

    @Test
    void refusesAPromptLongerThanTheContext() {
        CliRun run = CliRun.run("generate", "--model", model("stories260K-f32.gguf").toString(), "--prompt", "Once upon a time ".repeat(40),
                "--context", "32");
        assertEquals(1, run.exitCode());
        assertTrue(run.stderr().contains("context"), run.stderr());
    }

    @Test
    void chatAnswersEachLineAndEndsAtEndOfInput() {
        CliRun run = CliRun.run("Hello\nHow are you?\n".getBytes(StandardCharsets.UTF_8), "chat", "--model",
                model("stories260K-f32.gguf").toString(), "--max-tokens", "20", "--temperature", "0");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(2, run.out().split("\n\n", -1).length - 1, "two replies, each followed by a blank line:\n" + run.out());
    }
}
