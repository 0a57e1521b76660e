package dev.cria.model.convert;

import dev.cria.model.LlamaConfig;
import dev.cria.model.LlamaModel;
import dev.cria.model.LlamaWeights;
import dev.cria.tensor.Matrices;
import dev.cria.tensor.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Random-weight LLaMA models for benchmarks and as training starting points ({@code cria init}), initialized as
 * llama2.c's {@code model.py} initializes the stories models: every linear layer and the token embedding from
 * N(0, 0.02²), except the residual projections {@code wo} and {@code w3}, scaled down to
 * N(0, (0.02/√(2·layers))²) as GPT-2 does so the residual stream does not grow with depth; RMSNorm weights are 1.
 * Embeddings are tied, as in the stories models. The tokenizer is a {@link SyntheticVocabulary} of the model's
 * vocabulary size.
 *
 * <p>Deterministic: each tensor draws from its own {@link SplittableRandom} seeded from (seed, tensor index), so
 * the result does not depend on how many threads fill the tensors (they run in parallel: stories110M takes about
 * a second).
 */
public final class RandomLlama {

    /** The standard deviation of the initial weights. */
    public static final double STD = 0.02;

    /**
     * A model shape and seed.
     *
     * @param contextLength the sequence length the model is meant for
     */
    public record Spec(int dim, int layers, int heads, int kvHeads, int hiddenDim, int vocabSize, int contextLength, long seed) {

        /** llama2.c's stories15M: dim 288, 6 layers, 6 heads, hidden 768, vocabulary 32000, sequence 256. */
        public static Spec stories15M(long seed) {
            return new Spec(288, 6, 6, 6, 768, 32000, 256, seed);
        }

        /** llama2.c's stories110M: dim 768, 12 layers, 12 heads, hidden 2048, vocabulary 32000, sequence 1024. */
        public static Spec stories110M(long seed) {
            return new Spec(768, 12, 12, 12, 2048, 32000, 1024, seed);
        }

        /** The preset called {@code name} ({@code stories15M} or {@code stories110M}). */
        public static Spec preset(String name, long seed) {
            return switch (name) {
                case "stories15M" -> stories15M(seed);
                case "stories110M" -> stories110M(seed);
                default -> throw new IllegalArgumentException("unknown shape '" + name + "' (expected stories15M or stories110M)");
            };
        }

        /** RMSNorm eps 1e-5 and rope theta 10000, as llama2.c; tied embeddings. */
        public LlamaConfig config() {
            return new LlamaConfig(dim, hiddenDim, layers, heads, kvHeads, vocabSize, contextLength, 1e-5f, 10000f, null, true);
        }

        /** Weights of the model: {@code vocab·dim + layers·(2·dim² + 2·dim·kvDim + 3·dim·hidden + 2·dim) + dim}. */
        public long parameterCount() {
            LlamaConfig c = config();
            long perLayer = 2L * dim * dim + 2L * dim * c.kvDim() + 3L * dim * hiddenDim + 2L * dim;
            return (long) vocabSize * dim + layers * perLayer + dim;
        }
    }

    private RandomLlama() {
    }

    public static LlamaModel create(Spec spec) {
        LlamaConfig c = spec.config();
        double residualStd = STD / Math.sqrt(2.0 * spec.layers());
        int dim = c.dim();
        int kv = c.kvDim();
        int hidden = c.hiddenDim();
        // Tensor t of layer l is number 1 + 7l + t; the embedding is number 0.
        List<float[]> values = IntStream.range(0, 1 + 7 * spec.layers()).parallel().mapToObj(n -> {
            if (n == 0) {
                return normal(spec.seed(), n, (long) spec.vocabSize() * dim, STD);
            }
            int t = (n - 1) % 7;
            return switch (t) {
                case 0 -> normal(spec.seed(), n, (long) dim * dim, STD);          // wq
                case 1, 2 -> normal(spec.seed(), n, (long) kv * dim, STD);        // wk, wv
                case 3 -> normal(spec.seed(), n, (long) dim * dim, residualStd);  // wo
                case 4 -> normal(spec.seed(), n, (long) hidden * dim, STD);       // w1
                case 5 -> normal(spec.seed(), n, (long) dim * hidden, STD);       // w2
                default -> normal(spec.seed(), n, (long) hidden * dim, residualStd); // w3
            };
        }).toList();
        Matrix embedding = Matrices.of(values.get(0), spec.vocabSize(), dim);
        List<LlamaWeights.Layer> layers = new ArrayList<>(spec.layers());
        for (int l = 0; l < spec.layers(); l++) {
            int b = 1 + 7 * l;
            layers.add(new LlamaWeights.Layer(ones(dim),
                    Matrices.of(values.get(b), dim, dim),
                    Matrices.of(values.get(b + 1), kv, dim),
                    Matrices.of(values.get(b + 2), kv, dim),
                    Matrices.of(values.get(b + 3), dim, dim),
                    ones(dim),
                    Matrices.of(values.get(b + 4), hidden, dim),
                    Matrices.of(values.get(b + 5), dim, hidden),
                    Matrices.of(values.get(b + 6), hidden, dim)));
        }
        LlamaWeights weights = new LlamaWeights(embedding, layers, ones(dim), embedding, null);
        return new LlamaModel(c, weights, SyntheticVocabulary.create(spec.vocabSize()), null, "random " + spec);
    }

    private static float[] normal(long seed, int tensor, long count, double std) {
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a tensor of " + count + " values does not fit in one array");
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + tensor);
        float[] out = new float[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (random.nextGaussian() * std);
        }
        return out;
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        Arrays.fill(v, 1f);
        return v;
    }
}
