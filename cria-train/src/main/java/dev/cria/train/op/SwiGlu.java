package dev.cria.train.op;

import dev.cria.tensor.Parallel;

/**
 * The SwiGLU gate (Shazeer 2020) of LLaMA's feed-forward: {@code h = silu(a) ∘ b} with {@code a = x W_gateᵀ},
 * {@code b = x W_upᵀ} and {@code silu(a) = a σ(a)}.
 *
 * <p>Backward, element-wise: {@code db = dh · silu(a)} and {@code da = dh · b · silu'(a)} with
 * {@code silu'(a) = σ(a) + a σ(a)(1 - σ(a)) = σ(a)(1 + a(1 - σ(a)))}. It needs {@code a} and {@code b}, not {@code h}.
 */
public final class SwiGlu {
    private SwiGlu() {
    }

    /** a, b and h hold {@code count} values (N, hidden). */
    public static void forward(Parallel parallel, float[] h, float[] a, float[] b, int count) {
        parallel.forRange(count, (from, to) -> {
            for (int i = from; i < to; i++) {
                float x = a[i];
                h[i] = x / (1f + (float) Math.exp(-x)) * b[i];
            }
        });
    }

    /** da and db are overwritten (N, hidden). */
    public static void backward(Parallel parallel, float[] da, float[] db, float[] dh, float[] a, float[] b, int count) {
        parallel.forRange(count, (from, to) -> {
            for (int i = from; i < to; i++) {
                float x = a[i];
                float sig = 1f / (1f + (float) Math.exp(-x));
                float g = dh[i];
                db[i] = g * x * sig;
                da[i] = g * b[i] * sig * (1f + x * (1f - sig));
            }
        });
    }
}
