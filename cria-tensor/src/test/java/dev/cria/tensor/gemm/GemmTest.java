package dev.cria.tensor.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.tensor.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GemmTest {
    private static final float GARBAGE = Float.NaN;
    private static Parallel one;
    private static Parallel two;
    private static Parallel three;

    @BeforeAll
    static void start() {
        one = new Parallel(1);
        two = new Parallel(2);
        three = new Parallel(3);
    }

    @AfterAll
    static void stop() {
        one.close();
        two.close();
        three.close();
    }

    /** A gemm call with its operands laid out inside larger arrays: offsets and padded leading dimensions. */
    private record Problem(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                           float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {

        static Problem random(boolean transA, boolean transB, int m, int n, int k, float beta, int pad, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int aRows = transA ? k : m;
            int aCols = transA ? m : k;
            int bRows = transB ? n : k;
            int bCols = transB ? k : n;
            int lda = aCols + pad;
            int ldb = bCols + 2 * pad;
            int ldc = n + 3 * pad;
            int aOff = 5 * pad;
            int bOff = 3 * pad;
            int cOff = 7 * pad;
            float[] a = filled(aOff + aRows * lda + pad, rnd);
            float[] b = filled(bOff + bRows * ldb + pad, rnd);
            float[] c = filled(cOff + m * ldc + pad, rnd);
            if (beta == 0f) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, GARBAGE);
                }
            }
            return new Problem(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }

        private static float[] filled(int len, SplittableRandom rnd) {
            float[] x = new float[len];
            for (int i = 0; i < len; i++) {
                x[i] = (float) (rnd.nextDouble() * 2 - 1);
            }
            return x;
        }

        float opA(int i, int p) {
            return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        float opB(int p, int j) {
            return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        float[] run(Parallel parallel) {
            float[] out = c.clone();
            Gemm.gemm(parallel, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            return out;
        }
    }

    static Stream<Arguments> shapes() {
        int[][] mnk = {
                {1, 1, 1}, {1, 7, 17}, {7, 1, 33}, {17, 33, 7}, {33, 17, 1}, {6, 16, 256}, {7, 17, 257},
                {13, 35, 300}, {150, 70, 45}, {97, 1030, 19}, {149, 33, 513}, {1, 300, 40}, {300, 1, 40}
        };
        List<Arguments> out = new ArrayList<>();
        for (int[] s : mnk) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    out.add(Arguments.of(ta, tb, s[0], s[1], s[2]));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4}")
    @MethodSource("shapes")
    void overwritesGarbageWithProductWithinRoundingOfDoubleReference(boolean ta, boolean tb, int m, int n, int k) {
        assertMatchesDoubleReference(Problem.random(ta, tb, m, n, k, 0f, 3, 31L * m + 7L * n + k), two);
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4}")
    @MethodSource("shapes")
    void accumulatesProductOntoCWithinRoundingOfDoubleReference(boolean ta, boolean tb, int m, int n, int k) {
        assertMatchesDoubleReference(Problem.random(ta, tb, m, n, k, 1f, 2, 17L * m + 5L * n + k), two);
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4}")
    @MethodSource("shapes")
    void packedArraysWithoutPaddingGiveTheSameProduct(boolean ta, boolean tb, int m, int n, int k) {
        assertMatchesDoubleReference(Problem.random(ta, tb, m, n, k, 1f, 0, 3L * m + n + 11L * k), one);
    }

    /**
     * The error bound of a length-(k+1) floating-point sum, γ ≈ (k+1)·u·Σ|terms| with u = 2⁻²⁴ (Higham, Accuracy
     * and Stability of Numerical Algorithms, §3.1); also checks that C outside the m×n block is untouched.
     */
    private static void assertMatchesDoubleReference(Problem p, Parallel parallel) {
        float[] got = p.run(parallel);
        for (int i = 0; i < p.m; i++) {
            for (int j = 0; j < p.n; j++) {
                int idx = p.cOff + i * p.ldc + j;
                double start = p.beta == 0f ? 0.0 : p.c[idx];
                double sum = start;
                double magnitude = Math.abs(start);
                for (int q = 0; q < p.k; q++) {
                    double t = (double) p.opA(i, q) * p.opB(q, j);
                    sum += t;
                    magnitude += Math.abs(t);
                }
                double bound = (p.k + 1) * 0x1p-24 * magnitude * 1.01 + Float.MIN_NORMAL;
                double err = Math.abs(got[idx] - sum);
                if (!(err <= bound)) {
                    throw new AssertionError("C(" + i + "," + j + ") = " + got[idx] + ", reference " + sum
                            + ", error " + err + " > bound " + bound);
                }
                got[idx] = p.c[idx];
            }
        }
        // With every element of the m×n block put back, nothing else may have changed.
        assertArrayEquals(p.c, got, "gemm wrote outside the m×n block of C");
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4}")
    @MethodSource("shapes")
    void eachElementIsTheFusedMultiplyAddChainInIncreasingK(boolean ta, boolean tb, int m, int n, int k) {
        Problem p = Problem.random(ta, tb, m, n, k, 1f, 1, 7L * m + 3L * n + k);
        float[] got = p.run(two);
        for (int i = 0; i < p.m; i++) {
            for (int j = 0; j < p.n; j++) {
                float s = p.c[p.cOff + i * p.ldc + j];
                for (int q = 0; q < p.k; q++) {
                    s = Math.fma(p.opA(i, q), p.opB(q, j), s);
                }
                assertEquals(Float.floatToRawIntBits(s), Float.floatToRawIntBits(got[p.cOff + i * p.ldc + j]),
                        "C(" + i + "," + j + ")");
            }
        }
    }

    @Test
    void resultsAreBitIdenticalForOneTwoAndThreeThreads() {
        // Tall (split by rows), wide (split by columns), and the training shapes' transposition patterns.
        int[][] mnk = {{301, 77, 290}, {20, 700, 130}, {96, 288, 600}, {250, 250, 250}};
        for (int[] s : mnk) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (float beta : new float[] {0f, 1f}) {
                        Problem p = Problem.random(ta, tb, s[0], s[1], s[2], beta, 1, s[0] + s[1] + s[2]);
                        float[] r1 = p.run(one);
                        assertArrayEquals(r1, p.run(two), "2 threads differ for " + p.m + "×" + p.n + "×" + p.k);
                        assertArrayEquals(r1, p.run(three), "3 threads differ for " + p.m + "×" + p.n + "×" + p.k);
                    }
                }
            }
        }
    }

    /**
     * Until the JIT compiles the Vector API code its vectors are heap objects, so the claim is "once warm": some
     * round of calls, after at most a few thousand, allocates no byte on the calling thread.
     */
    @Test
    void allocatesNothingOnceWarm() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Problem[] problems = {
                Problem.random(false, true, 40, 70, 50, 0f, 1, 1), Problem.random(true, false, 13, 33, 20, 1f, 2, 2),
                Problem.random(false, false, 25, 40, 9, 1f, 0, 3), Problem.random(true, true, 7, 65, 33, 0f, 1, 4)
        };
        long allocated = -1;
        for (int round = 0; round < 100 && allocated != 0; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50; i++) {
                for (Problem p : problems) {
                    Gemm.gemm(one, p.transA, p.transB, p.m, p.n, p.k, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, p.beta,
                            p.c, p.cOff, p.ldc);
                }
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertEquals(0, allocated, "bytes allocated by the last round of 200 calls");
    }

    @Test
    void emptySumOverwritesWithZerosOrLeavesCAlone() {
        float[] c = {Float.NaN, Float.NaN, 5f, Float.NaN, Float.NaN};
        Gemm.gemm(two, false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, 0f, c, 0, 3);
        assertArrayEquals(new float[] {0f, 0f, 5f, 0f, 0f}, c);
        float[] d = {1f, 2f};
        Gemm.gemm(two, true, true, 1, 2, 0, new float[0], 0, 1, new float[0], 0, 0, 1f, d, 0, 2);
        assertArrayEquals(new float[] {1f, 2f}, d);
    }

    @Test
    void rejectsBetaOtherThanZeroOrOne() {
        float[] x = new float[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(one, false, false, 2, 2, 2, x, 0, 2, x, 0, 2, 0.5f, x.clone(), 0, 2));
        assertTrue(e.getMessage().contains("beta"), e.getMessage());
    }

    @Test
    void rejectsArrayTooShortForShapeNamingTheOperand() {
        float[] a = new float[6];
        float[] b = new float[6];
        float[] c = new float[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(one, false, true, 2, 2, 3, a, 1, 3, b, 0, 3, 0f, c, 0, 2));
        assertTrue(e.getMessage().contains("A (m×k)") && e.getMessage().contains("needs 7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(one, false, false, 2, 2, 3, a, 0, 3, b, 0, 1, 0f, c, 0, 2));
        assertTrue(e.getMessage().contains("leading dimension 1"), e.getMessage());
    }
}
