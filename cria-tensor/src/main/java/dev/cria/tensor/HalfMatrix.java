package dev.cria.tensor;

import java.lang.foreign.MemorySegment;

/** F16 or BF16 weights, row-major, converted to float on the fly. */
final class HalfMatrix implements Matrix {
    private final MemorySegment data;
    private final int rows;
    private final int cols;
    private final boolean brain;

    HalfMatrix(MemorySegment data, int rows, int cols, boolean brain) {
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.brain = brain;
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
        return brain ? DType.BF16 : DType.F16;
    }

    @Override
    public MemorySegment data() {
        return data;
    }

    private float at(long index) {
        short bits = data.get(Layouts.I16, index * 2);
        return brain ? Layouts.bf16ToF32(bits) : Layouts.f16ToF32(bits);
    }

    @Override
    public void matvec(float[] x, float[] y, int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            long base = (long) r * cols;
            float s = 0f;
            for (int c = 0; c < cols; c++) {
                s += at(base + c) * x[c];
            }
            y[r] = s;
        }
    }

    @Override
    public void matmul(float[] x, int n, float[] y, int rowFrom, int rowTo) {
        for (int t = 0; t < n; t++) {
            for (int r = rowFrom; r < rowTo; r++) {
                long base = (long) r * cols;
                float s = 0f;
                for (int c = 0; c < cols; c++) {
                    s += at(base + c) * x[t * cols + c];
                }
                y[t * rows + r] = s;
            }
        }
    }

    @Override
    public void dequantizeRow(int r, float[] out, int offset) {
        long base = (long) r * cols;
        for (int c = 0; c < cols; c++) {
            out[offset + c] = at(base + c);
        }
    }
}
