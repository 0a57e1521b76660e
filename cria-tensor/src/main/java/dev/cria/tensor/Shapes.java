package dev.cria.tensor;

/**
 * Argument checks shared by the {@link Matrix} implementations, so that a wrong length or range is a clear
 * {@link IllegalArgumentException} before any kernel runs, not an index error from inside one.
 */
public final class Shapes {
    private Shapes() {
    }

    /** Checks the arguments of {@link Matrix#matvec}. */
    public static void checkMatvec(Matrix w, float[] x, float[] y, int rowFrom, int rowTo) {
        checkRows(w, rowFrom, rowTo);
        if (x.length < w.cols()) {
            throw new IllegalArgumentException(shape(w) + " matvec needs x of " + w.cols() + " values, got " + x.length);
        }
        if (y.length < w.rows()) {
            throw new IllegalArgumentException(shape(w) + " matvec needs y of " + w.rows() + " values, got " + y.length);
        }
    }

    /** Checks the arguments of {@link Matrix#matmul}. */
    public static void checkMatmul(Matrix w, float[] x, int n, float[] y, int rowFrom, int rowTo) {
        checkRows(w, rowFrom, rowTo);
        if (n < 0) {
            throw new IllegalArgumentException(shape(w) + " matmul needs n >= 0, got " + n);
        }
        if (x.length < (long) n * w.cols()) {
            throw new IllegalArgumentException(
                    shape(w) + " matmul of " + n + " rows needs X of " + (long) n * w.cols() + " values, got " + x.length);
        }
        if (y.length < (long) n * w.rows()) {
            throw new IllegalArgumentException(
                    shape(w) + " matmul of " + n + " rows needs Y of " + (long) n * w.rows() + " values, got " + y.length);
        }
    }

    /** Checks the arguments of {@link Matrix#dequantizeRow}. */
    public static void checkRow(Matrix w, int r, float[] out, int offset) {
        if (r < 0 || r >= w.rows()) {
            throw new IllegalArgumentException(shape(w) + " has no row " + r);
        }
        if (offset < 0 || offset > out.length - w.cols()) {
            throw new IllegalArgumentException(
                    shape(w) + " row needs " + w.cols() + " values at offset " + offset + " of an array of " + out.length);
        }
    }

    private static void checkRows(Matrix w, int rowFrom, int rowTo) {
        if (rowFrom < 0 || rowFrom > rowTo || rowTo > w.rows()) {
            throw new IllegalArgumentException(shape(w) + " has no row range [" + rowFrom + ", " + rowTo + ")");
        }
    }

    private static String shape(Matrix w) {
        return w.type() + " " + w.rows() + "x" + w.cols();
    }
}
