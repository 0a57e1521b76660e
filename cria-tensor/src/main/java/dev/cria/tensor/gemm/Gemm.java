package dev.cria.tensor.gemm;

import dev.cria.tensor.Parallel;

/**
 * Single-precision general matrix multiply {@code C = β·C + op(A)·op(B)} for row-major arrays, in the blocked
 * scheme of Goto and van de Geijn ("Anatomy of high-performance matrix multiplication", 2008): panels of
 * {@code op(B)} and blocks of {@code op(A)} are packed into per-thread scratch so that a register-tiled
 * {@link MicroKernel} streams them with unit stride out of L1 and L2.
 *
 * <p>Determinism: every element of C is the single fused chain {@code c = fma(a_p, b_p, c)} for
 * {@code p = 0 … k-1} in increasing order, starting at {@code β·c} (exactly 0 when β is 0). Threads split C into
 * disjoint blocks and never split k, so the result is the same bits for every thread count, and equals a scalar
 * loop of {@link Math#fma}.
 */
public final class Gemm {
    /** Below this many multiply-adds a dispatch to other threads costs more than it saves. */
    private static final long PARALLEL_MIN_MACS = 1L << 20;

    private Gemm() {
    }

    /**
     * C = beta·C + op(A)·op(B) with C m×n. op(A) is m×k: A stored row-major m×k (lda ≥ k), or when transA its
     * transpose stored k×m (lda ≥ m). op(B) is k×n: B stored k×n (ldb ≥ n), or when transB stored n×k (ldb ≥ k).
     * beta is 0 (overwrite, C may hold garbage/NaN) or 1 (accumulate). Deterministic: each C element's sum over k
     * runs in an order that does not depend on parallel.threads().
     */
    public static void gemm(Parallel parallel, boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative shape m=" + m + " n=" + n + " k=" + k);
        }
        if (beta != 0f && beta != 1f) {
            throw new IllegalArgumentException("gemm: beta must be 0 or 1, got " + beta);
        }
        if (m == 0 || n == 0) {
            return;
        }
        checkMatrix("C", c, cOff, m, n, ldc);
        if (k == 0) {
            if (beta == 0f) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        if (transA) {
            checkMatrix("A (transposed, k×m)", a, aOff, k, m, lda);
        } else {
            checkMatrix("A (m×k)", a, aOff, m, k, lda);
        }
        if (transB) {
            checkMatrix("B (transposed, n×k)", b, bOff, n, k, ldb);
        } else {
            checkMatrix("B (k×n)", b, bOff, k, n, ldb);
        }
        Operands op = Operands.forCaller();
        op.set(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta == 1f, c, cOff, ldc);
        try {
            int rowTiles = ceilDiv(m, MicroKernel.MR);
            int colTiles = ceilDiv(n, MicroKernel.NR);
            if (parallel.threads() == 1 || (long) m * n * k < PARALLEL_MIN_MACS || (rowTiles == 1 && colTiles == 1)) {
                BlockedProduct.run(op, 0, m, 0, n);
            } else {
                // Splitting rows, every thread packs all of op(B) and its own share of op(A); columns, the reverse.
                op.splitRows = splitRows(m, n, rowTiles, colTiles, parallel.threads());
                parallel.forRange(op.splitRows ? rowTiles : colTiles, op);
            }
        } finally {
            op.clear();
        }
    }

    /**
     * Splitting rows makes every thread pack all of op(B) (k·n floats), splitting columns all of op(A) (m·k):
     * duplicate the smaller one, unless that leaves too few tiles to share.
     */
    private static boolean splitRows(int m, int n, int rowTiles, int colTiles, int threads) {
        boolean rowsEnough = rowTiles >= 2 * threads;
        boolean colsEnough = colTiles >= 2 * threads;
        if (rowsEnough != colsEnough) {
            return rowsEnough;
        }
        return m >= n;
    }

    private static void checkMatrix(String name, float[] x, int off, int rows, int cols, int ld) {
        if (ld < cols) {
            throw new IllegalArgumentException("gemm: " + name + " leading dimension " + ld + " < " + cols + " columns");
        }
        long last = (long) off + (long) (rows - 1) * ld + cols - 1;
        if (off < 0 || last >= x.length) {
            throw new IllegalArgumentException("gemm: " + name + " of " + rows + "×" + cols + " at offset " + off
                    + " with leading dimension " + ld + " needs " + (last + 1) + " floats, array holds " + x.length);
        }
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
