package dev.cria.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The kernels' results are the same bits while the JIT warms up (interpreter, C1, C2) and whatever the thread
 * split: each is checked, call after call, against a scalar model of the summation order that F32Kernels documents.
 */
class SummationOrderTest {
    private static final int L = 8;
    private static final int CALLS = 6000;

    /** The 8 lanes summed as ((v0 + v4) + (v2 + v6)) + ((v1 + v5) + (v3 + v7)). */
    private static float lanes(float[] v) {
        return ((v[0] + v[4]) + (v[2] + v[6])) + ((v[1] + v[5]) + (v[3] + v[7]));
    }

    /** Matrix-vector order: 4 accumulators over groups of 32 columns, leftover vectors into the first, masked rest into the second. */
    private static float dotModel(float[] w, int wOff, float[] x, int xOff, int cols) {
        float[][] acc = new float[4][L];
        int c = 0;
        for (; c + 4 * L <= cols; c += 4 * L) {
            for (int j = 0; j < 4; j++) {
                for (int l = 0; l < L; l++) {
                    acc[j][l] = Math.fma(w[wOff + c + j * L + l], x[xOff + c + j * L + l], acc[j][l]);
                }
            }
        }
        for (; c + L <= cols; c += L) {
            for (int l = 0; l < L; l++) {
                acc[0][l] = Math.fma(w[wOff + c + l], x[xOff + c + l], acc[0][l]);
            }
        }
        if (c < cols) {
            for (int l = 0; l < L; l++) {
                boolean in = c + l < cols;
                acc[1][l] = Math.fma(in ? w[wOff + c + l] : 0f, in ? x[xOff + c + l] : 0f, acc[1][l]);
            }
        }
        float[] v = new float[L];
        for (int l = 0; l < L; l++) {
            v[l] = (acc[0][l] + acc[1][l]) + (acc[2][l] + acc[3][l]);
        }
        return lanes(v);
    }

    /** Matrix-matrix order: one accumulator over whole vectors, its lanes summed, then the leftover columns in scalar FMAs. */
    private static float tileModel(float[] w, int wOff, float[] x, int xOff, int cols) {
        float[] acc = new float[L];
        int bound = cols - cols % L;
        for (int c = 0; c < bound; c += L) {
            for (int l = 0; l < L; l++) {
                acc[l] = Math.fma(w[wOff + c + l], x[xOff + c + l], acc[l]);
            }
        }
        float s = lanes(acc);
        for (int c = bound; c < cols; c++) {
            s = Math.fma(w[wOff + c], x[xOff + c], s);
        }
        return s;
    }

    @Test
    void matvecAndMatmulGiveTheModelsBitsInEveryJitTier() {
        int rows = 11;
        int cols = 45;
        int n = 7;
        Random rnd = new Random(21);
        float[] w = F32MatrixTest.gaussian(rnd, rows * cols);
        float[] x = F32MatrixTest.gaussian(rnd, n * cols);
        Matrix m = Matrices.of(w, rows, cols);
        float[] expectedVec = new float[rows];
        float[] expectedMat = new float[n * rows];
        for (int r = 0; r < rows; r++) {
            expectedVec[r] = dotModel(w, r * cols, x, 0, cols);
            for (int t = 0; t < n; t++) {
                expectedMat[t * rows + r] = tileModel(w, r * cols, x, t * cols, cols);
            }
        }
        float[] y = new float[rows];
        float[] yn = new float[n * rows];
        for (int call = 0; call < CALLS; call++) {
            m.matvec(x, y, 0, rows);
            // Row ranges that cut the 4-row tiles differently must not change a single bit.
            int split = call % rows;
            m.matmul(x, n, yn, 0, split);
            m.matmul(x, n, yn, split, rows);
            for (int r = 0; r < rows; r++) {
                assertEquals(Float.floatToRawIntBits(expectedVec[r]), Float.floatToRawIntBits(y[r]), "matvec row " + r + ", call " + call);
            }
            for (int i = 0; i < yn.length; i++) {
                assertEquals(Float.floatToRawIntBits(expectedMat[i]), Float.floatToRawIntBits(yn[i]), "matmul value " + i + ", call " + call);
            }
        }
    }

    @Test
    void dotGivesTheModelsBitsInEveryJitTier() {
        Random rnd = new Random(22);
        float[] a = F32MatrixTest.gaussian(rnd, 77);
        float[] b = F32MatrixTest.gaussian(rnd, 77);
        float expected = dotModel(a, 2, b, 1, 75);
        for (int call = 0; call < 20 * CALLS; call++) {
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(Kernels.dot(a, 2, b, 1, 75)), "call " + call);
        }
    }
}
