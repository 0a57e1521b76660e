package dev.cria.train.op;

import dev.cria.tensor.Parallel;
import dev.cria.tensor.gemm.Gemm;

/**
 * A linear layer without bias, {@code y = x Wᵀ}, with {@code W} stored {@code (out, in)} as PyTorch stores it.
 *
 * <p>Backward, from {@code y[n,o] = Σ_i x[n,i] W[o,i]}: {@code ∂L/∂x[n,i] = Σ_o dy[n,o] W[o,i]}, that is
 * {@code dx = dy W}, and {@code ∂L/∂W[o,i] = Σ_n dy[n,o] x[n,i]}, that is {@code dW = dyᵀ x} (summed over every row
 * of the batch, so the weight gradient is one product with {@code k = N}).
 */
public final class Linear {
    private Linear() {
    }

    /** x is (N, in), W is (out, in) at {@code wOff}, y is (N, out). */
    public static void forward(Parallel parallel, float[] y, float[] x, float[] w, int wOff, int n, int in, int out) {
        Gemm.gemm(parallel, false, true, n, out, in, x, 0, in, w, wOff, in, 0f, y, 0, out);
    }

    /**
     * dy is (N, out). {@code dx (N, in)} gets {@code dy W}, added when {@code accumulateDx} (several layers read the
     * same input), else overwritten; {@code dW (out, in)} at {@code wOff} gets {@code dyᵀ x} added.
     */
    public static void backward(Parallel parallel, float[] dx, boolean accumulateDx, float[] dw, float[] dy, float[] x,
                                float[] w, int wOff, int n, int in, int out) {
        Gemm.gemm(parallel, false, false, n, in, out, dy, 0, out, w, wOff, in, accumulateDx ? 1f : 0f, dx, 0, in);
        Gemm.gemm(parallel, true, false, out, in, n, dy, 0, out, x, 0, in, 1f, dw, wOff, in);
    }
}
