package dev.cria.train.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cria.model.LlamaConfig;
import dev.cria.model.LlamaModel;
import dev.cria.model.LlamaWeights;
import dev.cria.model.ModelLoader;
import dev.cria.model.SequenceState;
import dev.cria.model.Transformer;
import dev.cria.model.convert.RandomLlama;
import dev.cria.tensor.DType;
import dev.cria.tensor.Parallel;
import dev.cria.tokenizer.spm.SentencePieceModel;
import dev.cria.train.Parameters;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufExportTest {

    @TempDir
    Path dir;

    /** A small LLaMA with grouped-query attention (4 query heads, 2 key/value heads) and an untied output. */
    private static LlamaModel untiedModel() {
        RandomLlama.Spec spec = new RandomLlama.Spec(64, 2, 4, 2, 96, 300, 32, 5);
        LlamaModel tied = RandomLlama.create(spec);
        LlamaModel other = RandomLlama.create(new RandomLlama.Spec(64, 2, 4, 2, 96, 300, 32, 6));
        LlamaConfig c = tied.config();
        LlamaConfig untied = new LlamaConfig(c.dim(), c.hiddenDim(), c.layers(), c.heads(), c.kvHeads(), c.vocabSize(), c.contextLength(),
                c.rmsNormEps(), c.ropeTheta(), null, false);
        LlamaWeights w = tied.weights();
        return new LlamaModel(untied, new LlamaWeights(w.tokenEmbedding(), w.layers(), w.finalNorm(), other.weights().tokenEmbedding(), null),
                tied.tokenizer(), null, "random");
    }

    @Test
    void exportedGgufComputesTheLogitsOfTheTrainedWeights() throws IOException {
        for (LlamaModel original : new LlamaModel[] {untiedModel(), RandomLlama.create(new RandomLlama.Spec(64, 2, 4, 2, 96, 300, 32, 9))}) {
            Parameters p = LlamaParameters.allocate(original.config());
            LlamaParameters.copyFrom(original, p);
            Path file = dir.resolve("model-" + original.config().tiedEmbeddings() + ".gguf");
            GgufExport.write(p, original.config(), (SentencePieceModel) original.tokenizer(), file, DType.F32, "test");
            int[] tokens = {1, 17, 250, 3, 99, 42, 42, 7};
            try (LlamaModel loaded = ModelLoader.load(file, null); Parallel parallel = new Parallel(1)) {
                assertEquals(original.config(), loaded.config());
                float[] expected = logits(original, tokens, parallel);
                float[] actual = logits(loaded, tokens, parallel);
                // The same F32 weights through the same forward pass: the same bits.
                assertArrayEquals(expected, actual);
            }
        }
    }

    @Test
    void parametersRoundTripThroughTheModelExactly() {
        LlamaModel original = untiedModel();
        Parameters p = LlamaParameters.allocate(original.config());
        LlamaParameters.copyFrom(original, p);
        LlamaModel back = LlamaParameters.toModel(p, original.config(), original.tokenizer(), "copy");
        Parameters again = LlamaParameters.allocate(original.config());
        LlamaParameters.copyFrom(back, again);
        assertArrayEquals(p.values(), again.values());
        assertArrayEquals(original.weights().layers().get(1).wq().toFloatArray(), back.weights().layers().get(1).wq().toFloatArray());
        assertArrayEquals(original.weights().layers().get(1).wk().toFloatArray(), back.weights().layers().get(1).wk().toFloatArray());
        // Hugging Face's q_proj holds the rows in rotate-halves order: row 1 of a head is the pairs order's row 2.
        int q = (int) p.tensor("model.layers.0.self_attn.q_proj.weight").offset();
        float[] pairsRow2 = new float[64];
        original.weights().layers().get(0).wq().dequantizeRow(2, pairsRow2, 0);
        float[] halvesRow1 = java.util.Arrays.copyOfRange(p.values(), q + 64, q + 128);
        assertArrayEquals(pairsRow2, halvesRow1);
    }

    private static float[] logits(LlamaModel model, int[] tokens, Parallel parallel) {
        Transformer t = new Transformer(model, parallel);
        SequenceState state = t.newState();
        float[] out = new float[tokens.length * model.config().vocabSize()];
        t.prefillAll(state, tokens, 0, tokens.length, out, 0);
        return out;
    }
}
