package dev.cria.model.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cria.gguf.GgufFile;
import dev.cria.model.LlamaModel;
import dev.cria.model.LlamaWeights;
import dev.cria.tensor.DType;
import dev.cria.tensor.Matrix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomLlamaTest {

    @TempDir
    Path dir;

    private static long count(LlamaWeights w) {
        long n = (long) w.tokenEmbedding().rows() * w.tokenEmbedding().cols() + w.finalNorm().length;
        for (LlamaWeights.Layer l : w.layers()) {
            for (Matrix m : new Matrix[] {l.wq(), l.wk(), l.wv(), l.wo(), l.w1(), l.w2(), l.w3()}) {
                n += (long) m.rows() * m.cols();
            }
            n += l.attentionNorm().length + l.ffnNorm().length;
        }
        return n;
    }

    private static double std(float[] v) {
        double s = 0;
        double s2 = 0;
        for (float x : v) {
            s += x;
            s2 += (double) x * x;
        }
        double mean = s / v.length;
        return Math.sqrt(s2 / v.length - mean * mean);
    }

    @Test
    void stories15MHasTheParameterCountOfLlama2cStories15M() {
        RandomLlama.Spec spec = RandomLlama.Spec.stories15M(1);
        LlamaModel model = RandomLlama.create(spec);
        // 32000·288 + 6·(4·288² + 3·288·768 + 2·288) + 288, the 15M of the name.
        assertEquals(15_191_712L, spec.parameterCount());
        assertEquals(spec.parameterCount(), count(model.weights()));
        assertSame(model.weights().tokenEmbedding(), model.weights().output());
        assertEquals(32000, model.tokenizer().vocabSize());
    }

    @Test
    void weightsFollowLlama2cInitialization() {
        RandomLlama.Spec spec = new RandomLlama.Spec(256, 4, 4, 2, 512, 1000, 64, 3);
        LlamaWeights w = RandomLlama.create(spec).weights();
        LlamaWeights.Layer l = w.layers().get(1);
        assertEquals(0.02, std(l.wq().toFloatArray()), 0.0005);
        assertEquals(0.02, std(l.w2().toFloatArray()), 0.0005);
        assertEquals(0.02 / Math.sqrt(8), std(l.wo().toFloatArray()), 0.0002);
        assertEquals(0.02 / Math.sqrt(8), std(l.w3().toFloatArray()), 0.0002);
        assertEquals(0.02, std(w.tokenEmbedding().toFloatArray()), 0.0005);
        for (float g : l.ffnNorm()) {
            assertEquals(1f, g);
        }
    }

    @Test
    void sameSeedGivesTheSameModelAndAnotherSeedAnother() {
        RandomLlama.Spec a = new RandomLlama.Spec(64, 2, 4, 4, 128, 300, 32, 11);
        RandomLlama.Spec b = new RandomLlama.Spec(64, 2, 4, 4, 128, 300, 32, 12);
        float[] first = RandomLlama.create(a).weights().layers().get(1).w3().toFloatArray();
        assertArrayEquals(first, RandomLlama.create(a).weights().layers().get(1).w3().toFloatArray());
        assertFalse(Arrays.equals(first, RandomLlama.create(b).weights().layers().get(1).w3().toFloatArray()));
    }

    @Test
    void stories15MLoadsInLlamaCppInEveryType() throws IOException {
        LlamaModel model = RandomLlama.create(RandomLlama.Spec.stories15M(42));
        for (DType type : new DType[] {DType.F32, DType.Q8_0, DType.Q4_0}) {
            Path out = dir.resolve("stories15M-" + type + ".gguf");
            GgufModelWriter.Report report = new GgufModelWriter().write(model, out, type, "stories15M random");
            assertEquals(0, report.fallbacks().size(), "288 and 768 are multiples of 32");
            try (GgufFile gguf = GgufFile.open(out)) {
                assertEquals(32000, gguf.metadata().getStringArray("tokenizer.ggml.tokens").length);
            }
            int[] tokens = LlamaCppPeer.greedy(out, new int[] {1, 300, 301}, 8);
            assertEquals(8, tokens.length, type.toString());
        }
    }

    @Test
    void presetsAreNamedAsTheIssueNamesThem() {
        assertEquals(RandomLlama.Spec.stories110M(5), RandomLlama.Spec.preset("stories110M", 5));
        assertEquals(768, RandomLlama.Spec.stories110M(5).dim());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RandomLlama.Spec.preset("stories42M", 1));
        assertEquals("unknown shape 'stories42M' (expected stories15M or stories110M)", e.getMessage());
    }
}
