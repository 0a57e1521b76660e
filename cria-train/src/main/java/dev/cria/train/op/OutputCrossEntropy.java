package dev.cria.train.op;

import dev.cria.tensor.Parallel;
import dev.cria.tensor.gemm.Gemm;

/**
 * The output projection fused with the cross-entropy loss: {@code z = x Wᵀ} (logits over the vocabulary), then
 * {@code loss_n = lse(z_n) - z_n[y_n]}. The full (N, V) logits tensor is never materialized: rows are processed in
 * blocks of {@link #blockRows} and only one block's (rows, V) logits exist at a time; each block goes through the
 * forward and the backward at once, since the loss is the last op of the model and its gradient is known as soon as
 * the block's logits are.
 *
 * <p>Backward, with {@code p = softmax(z_n)}: {@code ∂loss_n/∂z_n = p - onehot(y_n)}; then, as for any linear layer,
 * {@code dx = dz W} and {@code dW += dzᵀ x}. The loss is summed (not averaged), so {@code dz} is not divided by N.
 *
 * <p>Why blocks of rows rather than slices of the vocabulary: the weight gradient {@code dzᵀ x} needs the normalized
 * probabilities, which are known only once a row's whole vocabulary has been seen; slicing the vocabulary would
 * compute every logit twice (one pass for the log-sum-exp, one for the gradient), a third more work for the largest
 * product of a small model. A block of rows sweeps the whole vocabulary once, and the block's size bounds the memory.
 */
public final class OutputCrossEntropy {
    /** Logits kept at a time: about 8 M floats (32 MiB), whatever the vocabulary. */
    private static final int LOGIT_BUDGET = 1 << 23;

    private final int vocab;
    private final int dim;
    private final int blockRows;
    private final float[] logits;

    public OutputCrossEntropy(int vocab, int dim, int maxRows) {
        this(vocab, dim, maxRows, LOGIT_BUDGET);
    }

    OutputCrossEntropy(int vocab, int dim, int maxRows, int logitBudget) {
        this.vocab = vocab;
        this.dim = dim;
        this.blockRows = Math.max(1, Math.min(maxRows, logitBudget / vocab));
        this.logits = new float[blockRows * vocab];
    }

    public int blockRows() {
        return blockRows;
    }

    /** Bytes of the one block of logits. */
    public long workspaceBytes() {
        return 4L * logits.length;
    }

    /**
     * x is (N, C); W is (V, C) at {@code wOff}; targets is (N). Returns the summed cross-entropy in nats. When
     * {@code dx} is not null it is overwritten with (N, C) input gradients and {@code dw} at {@code dwOff} gets the
     * weight gradient added; when it is null only the loss is computed. {@code rowLoss} (N) receives each row's loss.
     */
    public double forward(Parallel parallel, float[] x, float[] w, int wOff, int[] targets, int n, double[] rowLoss,
                          float[] dx, float[] dw, int dwOff) {
        for (int i = 0; i < n; i++) {
            if (targets[i] < 0 || targets[i] >= vocab) {
                throw new IllegalArgumentException("target id " + targets[i] + " at position " + i + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
        boolean backward = dx != null;
        for (int r0 = 0; r0 < n; r0 += blockRows) {
            int rows = Math.min(blockRows, n - r0);
            int first = r0;
            // z (rows, V) = x[r0 : r0+rows] Wᵀ
            Gemm.gemm(parallel, false, true, rows, vocab, dim, x, r0 * dim, dim, w, wOff, dim, 0f, logits, 0, vocab);
            parallel.forRange(rows, (from, to) -> {
                for (int r = from; r < to; r++) {
                    int o = r * vocab;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < vocab; j++) {
                        max = Math.max(max, logits[o + j]);
                    }
                    int y = targets[first + r];
                    float target = logits[o + y];
                    // One exponential per logit: e_j = exp(z_j - max) stays in place and becomes p_j = e_j / Σe.
                    FloatOps.exp(logits, o, vocab, 1f, max);
                    double sum = 0;
                    for (int j = 0; j < vocab; j++) {
                        sum += logits[o + j];
                    }
                    rowLoss[first + r] = max + Math.log(sum) - target;
                    if (backward) {
                        FloatOps.scale(logits, o, vocab, (float) (1.0 / sum));
                        logits[o + y] -= 1f;
                    }
                }
            });
            if (backward) {
                // dx (rows, C) = dz W;  dW (V, C) += dzᵀ x
                Gemm.gemm(parallel, false, false, rows, dim, vocab, logits, 0, vocab, w, wOff, dim, 0f, dx, r0 * dim, dim);
                Gemm.gemm(parallel, true, false, vocab, dim, rows, logits, 0, vocab, x, r0 * dim, dim, 1f, dw, dwOff, dim);
            }
        }
        double loss = 0;
        for (int i = 0; i < n; i++) {
            loss += rowLoss[i];
        }
        return loss;
    }
}
