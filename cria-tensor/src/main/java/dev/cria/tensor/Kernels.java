package dev.cria.tensor;

/** Whole products spread over the threads of a {@link Parallel}, and the small vector operations a model needs. */
public final class Kernels {
    private static final Parallel.RangeTask<Matrix, float[], float[]> MATVEC =
            (w, x, y, from, to) -> w.matvec(x, y, from, to);

    /**
     * Rows of {@code W} per register tile of the fp32 and half matmul kernels: a caller that splits one product's
     * rows over threads itself keeps the splits on multiples of it, so that only the last chunk has a partial tile.
     */
    public static final int ROW_TILE = F32Kernels.TILE_ROWS;

    private Kernels() {
    }

    /** {@code y = W x}, rows split over the threads; allocates nothing. */
    public static void matvec(Parallel parallel, Matrix w, float[] x, float[] y) {
        parallel.forRange(w.rows(), w, x, y, MATVEC);
    }

    /**
     * {@code Y = X Wᵀ} for {@code n} rows of {@code X}, rows of {@code W} split over the threads in whole register
     * tiles (4 rows), so that only the last chunk has a partial tile.
     */
    public static void matmul(Parallel parallel, Matrix w, float[] x, int n, float[] y) {
        int rows = w.rows();
        int tile = ROW_TILE;
        parallel.forRange((rows + tile - 1) / tile,
                (from, to) -> w.matmul(x, n, y, from * tile, Math.min(rows, to * tile)));
    }

    /** Dot product of {@code a[aOff, aOff+len)} and {@code b[bOff, bOff+len)}, with fp32 vector accumulators. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        if (len < 0 || aOff < 0 || bOff < 0 || aOff > a.length - len || bOff > b.length - len) {
            throw new IllegalArgumentException("dot of " + len + " values at offsets " + aOff + " and " + bOff
                    + " outside arrays of " + a.length + " and " + b.length);
        }
        return F32Kernels.dot(a, aOff, b, bOff, len);
    }
}
