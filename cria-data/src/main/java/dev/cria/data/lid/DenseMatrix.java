package dev.cria.data.lid;

import java.io.IOException;

/** A row-major float32 matrix: int64 rows, int64 cols, then the values ({@code DenseMatrix::save}). */
public final class DenseMatrix implements FastTextMatrix {
    private final int rows;
    private final int cols;
    final float[] data;

    DenseMatrix(int rows, int cols, float[] data) {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(rows + " x " + cols + " matrix given " + data.length + " values");
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    DenseMatrix(int rows, int cols) {
        this(rows, cols, new float[Math.multiplyExact(rows, cols)]);
    }

    static DenseMatrix read(ModelInput in, String what) throws FastTextFormatException {
        long at = in.offset();
        long m = in.int64(what + " rows");
        long n = in.int64(what + " columns");
        if (m < 0 || n < 0 || m * n > Integer.MAX_VALUE - 8 || (m > 0 && n > Integer.MAX_VALUE / m)) {
            throw in.error(at, what + ": " + m + " x " + n + " is not a matrix Cria can hold (at most 2^31 values)");
        }
        if (4 * m * n > in.remaining()) {
            throw in.error(in.offset(), "truncated: " + what + " needs " + 4 * m * n + " bytes of float32 values, the file has "
                    + in.remaining() + " left");
        }
        float[] data = new float[(int) (m * n)];
        in.floats(data, what + " values");
        return new DenseMatrix((int) m, (int) n, data);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public void addRowTo(float[] x, int i) {
        int base = i * cols;
        for (int j = 0; j < cols; j++) {
            x[j] += data[base + j];
        }
    }

    @Override
    public float dotRow(float[] x, int i) {
        int base = i * cols;
        float d = 0f;
        for (int j = 0; j < cols; j++) {
            d += data[base + j] * x[j];
        }
        return d;
    }

    /** row {@code i} += a·x (training's update of one row). */
    void addToRow(float[] x, int i, float a) {
        int base = i * cols;
        for (int j = 0; j < cols; j++) {
            data[base + j] += a * x[j];
        }
    }

    @Override
    public void write(ModelOutput out) throws IOException {
        out.int64(rows);
        out.int64(cols);
        out.floats(data);
    }
}
