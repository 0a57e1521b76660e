package dev.cria.tensor.gemm;

import dev.cria.tensor.Parallel;

/**
 * The arguments of one {@code C = β·C + op(A)·op(B)} call ({@code accumulate} is β = 1), and the work of one
 * thread's share of C. One instance per calling thread is reused, so a product allocates nothing once warm; the
 * array references are dropped after each call so that scratch never keeps a caller's arrays alive.
 */
final class Operands implements Parallel.RangeBody {
    private static final ThreadLocal<Operands> PER_CALLER = ThreadLocal.withInitial(Operands::new);

    boolean transA;
    boolean transB;
    int m;
    int n;
    int k;
    float[] a;
    int aOff;
    int lda;
    float[] b;
    int bOff;
    int ldb;
    boolean accumulate;
    float[] c;
    int cOff;
    int ldc;
    /** Whether {@link #run} is handed ranges of row tiles (else of column tiles). */
    boolean splitRows;

    static Operands forCaller() {
        return PER_CALLER.get();
    }

    void set(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
             float[] b, int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc) {
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.a = a;
        this.aOff = aOff;
        this.lda = lda;
        this.b = b;
        this.bOff = bOff;
        this.ldb = ldb;
        this.accumulate = accumulate;
        this.c = c;
        this.cOff = cOff;
        this.ldc = ldc;
    }

    void clear() {
        a = null;
        b = null;
        c = null;
    }

    /** Computes row tiles (or column tiles) {@code [from, to)} of C, all of the other dimension. */
    @Override
    public void run(int from, int to) {
        if (splitRows) {
            BlockedProduct.run(this, from * MicroKernel.MR, Math.min(m, to * MicroKernel.MR), 0, n);
        } else {
            BlockedProduct.run(this, 0, m, from * MicroKernel.NR, Math.min(n, to * MicroKernel.NR));
        }
    }
}
