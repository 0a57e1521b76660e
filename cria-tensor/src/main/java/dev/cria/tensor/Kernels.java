package dev.cria.tensor;

/** Whole products spread over the threads of a {@link Parallel}, and the small vector operations a model needs. */
public final class Kernels {
    private Kernels() {
    }

    /** {@code y = W x}, rows split over the threads. */
    public static void matvec(Parallel parallel, Matrix w, float[] x, float[] y) {
        parallel.forRange(w.rows(), (from, to) -> w.matvec(x, y, from, to));
    }

    /** {@code Y = X Wᵀ} for {@code n} rows of {@code X}, rows of {@code W} split over the threads. */
    public static void matmul(Parallel parallel, Matrix w, float[] x, int n, float[] y) {
        parallel.forRange(w.rows(), (from, to) -> w.matmul(x, n, y, from, to));
    }

    /** Dot product of {@code a[aOff, aOff+len)} and {@code b[bOff, bOff+len)}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        float s = 0f;
        for (int i = 0; i < len; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }
}
