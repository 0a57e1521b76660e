package dev.cria.train.optim;

import dev.cria.tensor.Parallel;

/**
 * Clipping by global norm (LLaMA §2.3: "gradient clipping of 1.0"), as {@code torch.nn.utils.clip_grad_norm_}:
 * {@code ‖g‖ = √Σ g²} over every parameter, and every gradient is scaled by {@code min(1, maxNorm / (‖g‖ + 1e-6))}.
 *
 * <p>The sum of squares is taken in double over fixed blocks of {@value #BLOCK} elements and the block sums added in
 * order, so the norm is the same bits whatever the number of threads.
 */
public final class GradientClipping {

    static final int BLOCK = 1 << 16;

    private GradientClipping() {
    }

    /** The global L2 norm of {@code grads}. */
    public static double norm(float[] grads, Parallel parallel) {
        int blocks = (grads.length + BLOCK - 1) / BLOCK;
        double[] sums = new double[blocks];
        parallel.forRange(blocks, (from, to) -> {
            for (int b = from; b < to; b++) {
                double s = 0;
                for (int i = b * BLOCK, end = Math.min(grads.length, i + BLOCK); i < end; i++) {
                    s += (double) grads[i] * grads[i];
                }
                sums[b] = s;
            }
        });
        double total = 0;
        for (double s : sums) {
            total += s;
        }
        return Math.sqrt(total);
    }

    /**
     * Scales {@code grads} so their norm is at most {@code maxNorm}; returns the norm before clipping (what is logged
     * as the gradient norm). A non-finite norm is returned as is, leaving the gradients untouched.
     */
    public static double clip(float[] grads, double maxNorm, Parallel parallel) {
        double norm = norm(grads, parallel);
        double coefficient = maxNorm / (norm + 1e-6);
        if (Double.isFinite(norm) && coefficient < 1) {
            scale(grads, (float) coefficient, parallel);
        }
        return norm;
    }

    /** {@code grads *= factor}, element by element. */
    public static void scale(float[] grads, float factor, Parallel parallel) {
        int blocks = (grads.length + BLOCK - 1) / BLOCK;
        parallel.forRange(blocks, (from, to) -> {
            for (int i = from * BLOCK, end = Math.min(grads.length, to * BLOCK); i < end; i++) {
                grads[i] *= factor;
            }
        });
    }
}
