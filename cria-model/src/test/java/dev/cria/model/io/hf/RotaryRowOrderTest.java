package dev.cria.model.io.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cria.model.convert.WeightEncoder;
import dev.cria.tensor.DType;
import dev.cria.tensor.Matrices;
import dev.cria.tensor.Matrix;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RotaryRowOrderTest {

    /**
     * llama.cpp's {@code permute} as NumPy evaluates it: {@code w.reshape(heads, 2, hs/2, cols).swapaxes(1, 2)
     * .reshape(rows, cols)}. Element {@code [h][i][j][c]} of the swapped array is element {@code [h][j][i][c]} of the
     * reshaped one, and both flatten in C order.
     */
    static float[] numpyPermute(float[] w, int rows, int cols, int heads) {
        int half = rows / heads / 2;
        float[] out = new float[w.length];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                for (int j = 0; j < 2; j++) {
                    for (int c = 0; c < cols; c++) {
                        int swapped = ((h * half + i) * 2 + j) * cols + c;
                        int reshaped = ((h * 2 + j) * half + i) * cols + c;
                        out[swapped] = w[reshaped];
                    }
                }
            }
        }
        return out;
    }

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void halvesToPairsIsLlamaCppsPermute() {
        int heads = 4;
        int rows = heads * 8;
        int cols = 5;
        float[] hf = random(rows * cols, 1);
        float[] ours = RotaryRowOrder.halvesToPairs(Matrices.of(hf, rows, cols), heads).toFloatArray();
        assertArrayEquals(numpyPermute(hf, rows, cols, heads), ours);
    }

    /** Rotary embedding at position {@code p} of one head, rotating {@code (x[a(i)], x[b(i)])} by {@code p·θ^(-2i/hs)}. */
    private static void rope(float[] x, int base, int headSize, int p, boolean halves) {
        for (int i = 0; i < headSize / 2; i++) {
            double angle = p * Math.pow(10000, -2.0 * i / headSize);
            int a = base + (halves ? i : 2 * i);
            int b = base + (halves ? i + headSize / 2 : 2 * i + 1);
            double x0 = x[a];
            double x1 = x[b];
            x[a] = (float) (x0 * Math.cos(angle) - x1 * Math.sin(angle));
            x[b] = (float) (x0 * Math.sin(angle) + x1 * Math.cos(angle));
        }
    }

    private static float[] project(Matrix w, float[] x) {
        float[] y = new float[w.rows()];
        w.matvec(x, y, 0, w.rows());
        return y;
    }

    @Test
    void attentionScoresAgreeBetweenRotateHalfAndAdjacentPairRope() {
        int dim = 48;
        int heads = 4;
        int kvHeads = 2;
        int headSize = dim / heads;
        Matrix wqHalves = Matrices.of(random(dim * dim, 2), dim, dim);
        Matrix wkHalves = Matrices.of(random(kvHeads * headSize * dim, 3), kvHeads * headSize, dim);
        Matrix wqPairs = RotaryRowOrder.halvesToPairs(wqHalves, heads);
        Matrix wkPairs = RotaryRowOrder.halvesToPairs(wkHalves, kvHeads);
        float[] xq = random(dim, 4);
        float[] xk = random(dim, 5);
        float[] qh = project(wqHalves, xq);
        float[] kh = project(wkHalves, xk);
        float[] qp = project(wqPairs, xq);
        float[] kp = project(wkPairs, xk);
        for (int h = 0; h < heads; h++) {
            rope(qh, h * headSize, headSize, 7, true);
            rope(qp, h * headSize, headSize, 7, false);
        }
        for (int h = 0; h < kvHeads; h++) {
            rope(kh, h * headSize, headSize, 3, true);
            rope(kp, h * headSize, headSize, 3, false);
        }
        for (int h = 0; h < heads; h++) {
            int kv = h / (heads / kvHeads);
            double scoreHalves = 0;
            double scorePairs = 0;
            for (int d = 0; d < headSize; d++) {
                scoreHalves += qh[h * headSize + d] * kh[kv * headSize + d];
                scorePairs += qp[h * headSize + d] * kp[kv * headSize + d];
            }
            assertEquals(scoreHalves, scorePairs, 1e-4 * Math.abs(scoreHalves) + 1e-5, "head " + h);
        }
    }

    @Test
    void pairsToHalvesUndoesHalvesToPairsInEveryFormat() {
        int rows = 6 * 16;
        int cols = 64;
        float[] values = random(rows * cols, 6);
        WeightEncoder encoder = new WeightEncoder();
        for (DType type : DType.values()) {
            Matrix m = Matrices.of(type, encoder.encode(values, cols, type), rows, cols);
            Matrix back = RotaryRowOrder.pairsToHalves(RotaryRowOrder.halvesToPairs(m, 6), 6);
            assertEquals(type, back.type());
            assertArrayEquals(m.data().toArray(ValueLayout.JAVA_BYTE), back.data().toArray(ValueLayout.JAVA_BYTE), type.toString());
        }
    }

    @Test
    void refusesRowsThatDoNotSplitIntoEvenHeads() {
        Matrix m = Matrices.of(new float[30 * 2], 30, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RotaryRowOrder.halvesToPairs(m, 6));
        assertEquals("30 rows do not split into 6 heads of an even size", e.getMessage());
    }
}
