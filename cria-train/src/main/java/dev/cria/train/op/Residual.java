package dev.cria.train.op;

import dev.cria.tensor.Parallel;

/**
 * A residual connection {@code y = x + f(x)}. Backward: {@code ∂y/∂x = I} and {@code ∂y/∂f = I}, so the gradient
 * {@code dy} flows unchanged into both the skip path and the branch; the branch's own backward then adds its input
 * gradient on top of the skip path's.
 */
public final class Residual {
    private Residual() {
    }

    /** y = x + f over {@code count} values; y may be x. */
    public static void forward(Parallel parallel, float[] y, float[] x, float[] f, int count) {
        parallel.forRange(count, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = x[i] + f[i];
            }
        });
    }

    /** dx += dy over {@code count} values (the branch receives dy itself). */
    public static void backward(Parallel parallel, float[] dx, float[] dy, int count) {
        parallel.forRange(count, (from, to) -> {
            for (int i = from; i < to; i++) {
                dx[i] += dy[i];
            }
        });
    }

    /** x -= f over {@code count} values: a reversible block recovers its input from its output. */
    public static void subtract(Parallel parallel, float[] x, float[] f, int count) {
        parallel.forRange(count, (from, to) -> {
            for (int i = from; i < to; i++) {
                x[i] -= f[i];
            }
        });
    }
}
