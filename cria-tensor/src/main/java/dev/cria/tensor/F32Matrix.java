package dev.cria.tensor;

import java.lang.foreign.MemorySegment;

/** F32 weights, row-major. */
final class F32Matrix implements Matrix {
    private final MemorySegment data;
    private final int rows;
    private final int cols;

    F32Matrix(MemorySegment data, int rows, int cols) {
        this.data = data;
        this.rows = rows;
        this.cols = cols;
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
    public DType type() {
        return DType.F32;
    }

    @Override
    public MemorySegment data() {
        return data;
    }

    @Override
    public void matvec(float[] x, float[] y, int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            long base = (long) r * cols * 4;
            float s = 0f;
            for (int c = 0; c < cols; c++) {
                s += data.get(Layouts.F32, base + 4L * c) * x[c];
            }
            y[r] = s;
        }
    }

    @Override
    public void matmul(float[] x, int n, float[] y, int rowFrom, int rowTo) {
        for (int t = 0; t < n; t++) {
            for (int r = rowFrom; r < rowTo; r++) {
                long base = (long) r * cols * 4;
                float s = 0f;
                for (int c = 0; c < cols; c++) {
                    s += data.get(Layouts.F32, base + 4L * c) * x[t * cols + c];
                }
                y[t * rows + r] = s;
            }
        }
    }

    @Override
    public void dequantizeRow(int r, float[] out, int offset) {
        MemorySegment.copy(data, Layouts.F32, (long) r * cols * 4, out, offset, cols);
    }
}
