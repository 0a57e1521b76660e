package dev.cria.model.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cria.model.LlamaModel;
import dev.cria.model.ModelLoader;
import dev.cria.tensor.DType;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** llama2.c's stories260K.bin and tok512.bin converted to GGUF: llama.cpp must print llama2.c's own expected text. */
class Llama2cConversionTest {

    @TempDir
    Path dir;

    @Test
    void stories260KFromLlama2cGivesLlamaCppTheExpectedText() throws IOException {
        Path out = dir.resolve("stories260K.gguf");
        try (LlamaModel model = ModelLoader.load(SharedData.file("models/stories260K/stories260K.bin"),
                SharedData.file("models/stories260K/tok512.bin"))) {
            new GgufModelWriter().write(model, out, DType.F32, "stories260K");
            // llama2.c's run -n 200 feeds BOS at position 0 and prints the 200 tokens it samples.
            int[] tokens = LlamaCppPeer.greedy(out, new int[] {1}, 200);
            String expected = Files.readString(SharedData.file("models/stories260K/reference/greedy200.expected.txt"));
            assertEquals(expected, model.tokenizer().decode(tokens));
        }
    }
}
