package dev.cria.train;

import dev.cria.model.LlamaConfig;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small model for testing the training loop: logits of the next token are {@code W · (E[x] ⊙ g)}, with a token
 * embedding {@code E} (vocab × dim, decayed), a gain {@code g} (dim, not decayed) and an output matrix {@code W}
 * (vocab × dim, decayed). Its gradient, derived by hand for {@code L = Σ (logsumexp(z) − z[y])}:
 * <pre>
 *   h = E[x] ⊙ g      z = W h      dz = softmax(z) − onehot(y)
 *   dW += dz ⊗ h      dh = Wᵀ dz   dE[x] += dh ⊙ g     dg += dh ⊙ E[x]
 * </pre>
 * Deterministic and single-threaded; checked against finite differences in {@code BigramModelTest}.
 */
public final class BigramModel implements TrainableModel {

    private final LlamaConfig config;
    private final Parameters parameters;
    private final int vocab;
    private final int dim;
    private final double[] logits;
    private final double[] dh;
    private boolean checkFinite = true;

    public BigramModel(int vocab, int dim, long seed) {
        this.vocab = vocab;
        this.dim = dim;
        this.config = new LlamaConfig(dim, 2, 1, 1, 1, vocab, 64, 1e-5f, 10000f, null, false);
        int n = 2 * vocab * dim + dim;
        float[] values = new float[n];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * 0.5);
        }
        int gain = vocab * dim;
        for (int i = 0; i < dim; i++) {
            values[gain + i] = 1f;
        }
        this.parameters = new Parameters(values, new float[n], List.of(
                new ParameterTensor("model.embed_tokens.weight", 0, new int[] {vocab, dim}, true),
                new ParameterTensor("model.norm.weight", gain, new int[] {dim}, false),
                new ParameterTensor("lm_head.weight", gain + dim, new int[] {vocab, dim}, true)));
        this.logits = new double[vocab];
        this.dh = new double[dim];
    }

    /** With false, a NaN loss is returned instead of raising {@link NonFiniteException} (to test the trainer's own check). */
    public BigramModel checkFinite(boolean check) {
        this.checkFinite = check;
        return this;
    }

    @Override
    public LlamaConfig config() {
        return config;
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    @Override
    public double forwardBackward(int[] inputs, int[] targets, int batch, int seqLen) {
        return run(inputs, targets, batch * seqLen, true);
    }

    @Override
    public double loss(int[] inputs, int[] targets, int batch, int seqLen) {
        return run(inputs, targets, batch * seqLen, false);
    }

    private double run(int[] inputs, int[] targets, int count, boolean backward) {
        float[] p = parameters.values();
        float[] d = parameters.grads();
        int gain = vocab * dim;
        int out = gain + dim;
        double total = 0;
        for (int t = 0; t < count; t++) {
            int x = inputs[t];
            int y = targets[t];
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                double z = 0;
                for (int c = 0; c < dim; c++) {
                    z += (double) p[out + v * dim + c] * p[x * dim + c] * p[gain + c];
                }
                logits[v] = z;
                max = Math.max(max, z);
            }
            double sum = 0;
            for (int v = 0; v < vocab; v++) {
                sum += Math.exp(logits[v] - max);
            }
            double lse = max + Math.log(sum);
            double loss = lse - logits[y];
            if (!Double.isFinite(loss) && checkFinite) {
                throw new NonFiniteException("lm_head logits (position " + t + ")");
            }
            total += loss;
            if (!backward) {
                continue;
            }
            java.util.Arrays.fill(dh, 0);
            for (int v = 0; v < vocab; v++) {
                double dz = Math.exp(logits[v] - lse) - (v == y ? 1 : 0);
                for (int c = 0; c < dim; c++) {
                    double h = (double) p[x * dim + c] * p[gain + c];
                    d[out + v * dim + c] += (float) (dz * h);
                    dh[c] += dz * p[out + v * dim + c];
                }
            }
            for (int c = 0; c < dim; c++) {
                d[x * dim + c] += (float) (dh[c] * p[gain + c]);
                d[gain + c] += (float) (dh[c] * p[x * dim + c]);
            }
        }
        return total;
    }

    @Override
    public long activationBytes() {
        return 0;
    }

    @Override
    public void close() {
    }
}
