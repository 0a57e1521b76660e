package dev.cria.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KernelsTest {

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 3})
    void threadedProductsEqualTheSingleThreadedOnesBitForBit(int threads) {
        // 4 rows per tile: 103 rows leave a partial tile in the last chunk only.
        int rows = 103;
        int cols = 77;
        int n = 10;
        Random rnd = new Random(9);
        float[] w = F32MatrixTest.gaussian(rnd, rows * cols);
        float[] x = F32MatrixTest.gaussian(rnd, n * cols);
        Matrix m = Matrices.of(w, rows, cols);
        float[] expected = new float[n * rows];
        m.matmul(x, n, expected, 0, rows);
        float[] expectedVec = new float[rows];
        m.matvec(x, expectedVec, 0, rows);
        try (Parallel p = new Parallel(threads)) {
            float[] y = new float[n * rows];
            Kernels.matmul(p, m, x, n, y);
            assertArrayEquals(expected, y);
            float[] yv = new float[rows];
            Kernels.matvec(p, m, x, yv);
            assertArrayEquals(expectedVec, yv);
            Reference.assertMatmul(w, rows, cols, x, n, y, 0, rows, "threaded matmul");
        }
    }

    @Test
    void dotMatchesTheDoublePrecisionSumWithinTheFp32Bound() {
        Random rnd = new Random(12);
        for (int len : new int[] {0, 1, 7, 8, 31, 32, 33, 100, 4099}) {
            float[] a = F32MatrixTest.gaussian(rnd, len + 3);
            float[] b = F32MatrixTest.gaussian(rnd, len + 5);
            double s = 0;
            double abs = 0;
            for (int i = 0; i < len; i++) {
                double p = (double) a[3 + i] * b[5 + i];
                s += p;
                abs += Math.abs(p);
            }
            float got = Kernels.dot(a, 3, b, 5, len);
            assertTrue(Math.abs(got - s) <= Reference.bound(len, abs), "len " + len + ": " + got + " vs " + s);
        }
        assertThrows(IllegalArgumentException.class, () -> Kernels.dot(new float[4], 1, new float[4], 0, 4));
    }
}
