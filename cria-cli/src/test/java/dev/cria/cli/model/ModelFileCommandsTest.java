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

/** init, quantize and convert through the command line, checked by generating with what they wrote. */
class ModelFileCommandsTest {

    private static Path model(String name) {
        return SharedData.file("models/stories260K/" + name);
    }

    private static String greedy(Path model, int tokens) {
        CliRun run = CliRun.run("generate", "--model", model.toString(), "--temperature", "0", "--max-tokens", String.valueOf(tokens),
                "--prompt", "");
        assertEquals(0, run.exitCode(), run.stderr());
        return run.out();
    }

    @Test
    void convertsLlama2cToGgufAndGgufToHuggingFaceWithoutChangingTheText(@TempDir Path dir) throws Exception {
        Path gguf = dir.resolve("s.gguf");
        CliRun a = CliRun.run("convert", "--model", model("stories260K.bin").toString(), "--tokenizer", model("tok512.bin").toString(),
                "--output", gguf.toString());
        assertEquals(0, a.exitCode(), a.stderr());
        Path hf = dir.resolve("hf");
        CliRun b = CliRun.run("convert", "--model", gguf.toString(), "--output", hf.toString());
        assertEquals(0, b.exitCode(), b.stderr());
        assertTrue(Files.isRegularFile(hf.resolve("config.json")));
        String expected = Files.readString(model("reference/greedy200.expected.txt"), StandardCharsets.UTF_8);
        assertTrue(greedy(gguf, 200).startsWith(expected));
        assertTrue(greedy(hf, 200).startsWith(expected));
    }

    @Test
    void quantizesAndSaysWhichMatricesStayF32(@TempDir Path dir) {
        Path q8 = dir.resolve("q8.gguf");
        CliRun run = CliRun.run("quantize", "--model", model("stories260K-f32.gguf").toString(), "--type", "q8_0", "--output", q8.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.out().contains("blk.0.ffn_down.weight: row length 172 is not a multiple of 32"), run.out());
        String f32 = greedy(model("stories260K-f32.gguf"), 50);
        String quantized = greedy(q8, 50);
        assertEquals(f32.substring(0, 60), quantized.substring(0, 60), "Q8_0 starts like F32");
    }

    @Test
    void initWritesARandomModelOfThePresetShape(@TempDir Path dir) {
        Path out = dir.resolve("tiny.gguf");
        CliRun run = CliRun.run("init", "--dim", "64", "--layers", "2", "--heads", "4", "--kv-heads", "2", "--hidden", "128", "--vocab", "512",
                "--type", "q4_0", "--output", out.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.out().contains("dim 64, 2 layers, 4 heads (2 kv), hidden 128, vocab 512"), run.out());
        CliRun bench = CliRun.run("bench", "--model", out.toString(), "--prompt-tokens", "8", "--gen-tokens", "8", "--repetitions", "1");
        assertEquals(0, bench.exitCode(), bench.stderr());
        CliRun bad = CliRun.run("init", "--dim", "64", "--output", out.toString());
        assertEquals(1, bad.exitCode());
        assertTrue(bad.stderr().contains("--shape"), bad.stderr());
    }
}
