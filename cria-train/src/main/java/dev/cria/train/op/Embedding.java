package dev.cria.train.op;

import dev.cria.tensor.Parallel;

/**
 * The token embedding: row {@code t} of the table is the input vector of token {@code t}.
 *
 * <p>Backward: the lookup is a selection, so {@code dWte[t] = Σ_{n : tokens[n] = t} dout[n]}; rows of the table that no
 * token selected get nothing.
 */
public final class Embedding {
    private Embedding() {
    }

    /** tokens is (N); the table is (V, C) at {@code wOff}; out is (N, C). */
    public static void forward(Parallel parallel, float[] out, int[] tokens, float[] wte, int wOff, int n, int c, int vocab) {
        for (int i = 0; i < n; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocab) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at position " + i + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
        parallel.forRange(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                System.arraycopy(wte, wOff + tokens[i] * c, out, i * c, c);
            }
        });
    }

    /** dwte (V, C) at {@code wOff} gets {@code dout (N, C)} scattered and added. */
    public static void backward(Parallel parallel, float[] dwte, int wOff, float[] dout, int[] tokens, int n, int c) {
        // Columns are split over the threads: a token repeated in the batch adds its rows in position order.
        parallel.forRange(c, (from, to) -> {
            for (int i = 0; i < n; i++) {
                int dst = wOff + tokens[i] * c;
                int src = i * c;
                for (int j = from; j < to; j++) {
                    dwte[dst + j] += dout[src + j];
                }
            }
        });
    }
}
