package dev.cria.train.op;

import dev.cria.tensor.Parallel;

/**
 * RMSNorm (Zhang and Sennrich 2019) as LLaMA uses it before attention, before the feed-forward and at the end:
 * {@code y = x · r · w} with {@code r = (mean(x²) + ε)^(-1/2)} per row.
 *
 * <p>Backward, per row of width C with {@code g = w ∘ dy}: since {@code ∂r/∂x_j = -r³ x_j / C},
 * {@code dx_j = r g_j - x_j r³ (Σ_i g_i x_i) / C}; and {@code dw_j = Σ_rows dy_j x_j r}.
 */
public final class RmsNorm {
    private RmsNorm() {
    }

    /** x is (N, C), w is (C) at {@code wOff}; out is (N, C) and rstd (N) keeps r for the backward. */
    public static void forward(Parallel parallel, float[] out, float[] rstd, float[] x, float[] w, int wOff, int n, int c, float eps) {
        parallel.forRange(n, (from, to) -> {
            for (int row = from; row < to; row++) {
                int o = row * c;
                float ms = FloatOps.dot(x, o, x, o, c) / c;
                float r = (float) (1.0 / Math.sqrt(ms + eps));
                rstd[row] = r;
                for (int j = 0; j < c; j++) {
                    out[o + j] = x[o + j] * r * w[wOff + j];
                }
            }
        });
    }

    /** dx (N, C) gets the input gradient added; dw (C) at {@code wOff} gets the gain gradient added. */
    public static void backward(Parallel parallel, float[] dx, float[] dw, float[] dout, float[] x, float[] w, int wOff, float[] rstd,
                                int n, int c) {
        parallel.forRange(n, (from, to) -> {
            for (int row = from; row < to; row++) {
                int o = row * c;
                float r = rstd[row];
                float gx = 0f;
                for (int j = 0; j < c; j++) {
                    gx += w[wOff + j] * dout[o + j] * x[o + j];
                }
                float k = r * r * r * gx / c;
                for (int j = 0; j < c; j++) {
                    dx[o + j] += r * w[wOff + j] * dout[o + j] - k * x[o + j];
                }
            }
        });
        // The gain gradient sums over rows: columns are split over the threads so that every sum runs in row order.
        parallel.forRange(c, (from, to) -> {
            for (int row = 0; row < n; row++) {
                int o = row * c;
                float r = rstd[row];
                for (int j = from; j < to; j++) {
                    dw[wOff + j] += dout[o + j] * x[o + j] * r;
                }
            }
        });
    }
}
