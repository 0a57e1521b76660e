package dev.cria.model.io.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cria.model.LlamaConfig;
import dev.cria.model.LlamaModel;
import dev.cria.model.SequenceState;
import dev.cria.model.TestModels;
import dev.cria.model.Transformer;
import dev.cria.model.convert.GgufModelWriter;
import dev.cria.model.convert.SyntheticVocabulary;
import dev.cria.model.io.gguf.GgufModelLoader;
import dev.cria.model.io.safetensors.SafetensorsDType;
import dev.cria.tensor.DType;
import dev.cria.tensor.Parallel;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One random model written twice, as a Hugging Face checkpoint and as GGUF, each loaded by its own loader and run
 * by Cria's forward pass: the logits agree at every position. The model has grouped-query attention (so the key
 * permutation uses the key/value heads), a separate output matrix and Llama 3.1 rope scaling (which the Hugging
 * Face side keeps as config parameters and the GGUF side stores as {@code rope_freqs.weight}).
 */
class HfGgufTwinTest {

    @TempDir
    Path dir;

    @Test
    void huggingFaceLayoutGivesTheSameLogitsAsItsGgufTwin() throws IOException {
        LlamaConfig config = new LlamaConfig(64, 96, 2, 8, 2, 300, 64, 1e-5f, 500000f,
                new LlamaConfig.RopeScaling(8f, 1f, 4f, 16), false);
        LlamaModel model = new LlamaModel(config, TestModels.randomWeights(config, 21, null), SyntheticVocabulary.create(300), null,
                "random twin");
        Path gguf = dir.resolve("twin.gguf");
        Path hf = dir.resolve("hf");
        new GgufModelWriter().write(model, gguf, DType.F32, "twin");
        HfLlamaWriter.write(model, hf, SafetensorsDType.F32, HfLlamaWriter.DEFAULT_SHARD_BYTES);
        int[] tokens = {1, 17, 260, 5, 99, 42, 3, 250};
        try (LlamaModel fromGguf = GgufModelLoader.load(gguf); LlamaModel fromHf = HfLlamaReader.read(hf);
             Parallel parallel = new Parallel(1)) {
            assertNotNull(fromGguf.weights().ropeFrequencyFactors(), "GGUF carries the factors");
            assertNull(fromHf.weights().ropeFrequencyFactors(), "Hugging Face carries the parameters");
            Transformer a = new Transformer(fromGguf, parallel);
            Transformer b = new Transformer(fromHf, parallel);
            SequenceState sa = a.newState();
            SequenceState sb = b.newState();
            for (int t = 0; t < tokens.length; t++) {
                float[] la = a.decode(sa, tokens[t]).clone();
                float[] lb = b.decode(sb, tokens[t]);
                for (int v = 0; v < la.length; v++) {
                    assertEquals(la[v], lb[v], 1e-4f * (1 + Math.abs(la[v])), "position " + t + ", token " + v);
                }
            }
        }
    }
}
