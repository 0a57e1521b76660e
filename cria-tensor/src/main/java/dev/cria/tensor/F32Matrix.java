package dev.cria.tensor;

import java.lang.foreign.MemorySegment;

/** F32 weights, row-major, read by the kernels through a plain native view (see {@link Matrices#kernelSegment}). */
final class F32Matrix implements Matrix {
    private final MemorySegment data;
    private final MemorySegment view;
    private final int rows;
    private final int cols;
    private final long rowBytes;

    F32Matrix(MemorySegment data, int rows, int cols) {
        this.data = data;
        this.view = Matrices.kernelSegment(data);
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = 4L * cols;
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
        Shapes.checkMatvec(this, x, y, rowFrom, rowTo);
        F32Kernels.matvec(view, 0, rowBytes, cols, x, y, rowFrom, rowTo);
    }

    @Override
    public void matmul(float[] x, int n, float[] y, int rowFrom, int rowTo) {
        Shapes.checkMatmul(this, x, n, y, rowFrom, rowTo);
        F32Kernels.matmul(view, 0, rowBytes, cols, x, n, y, rows, rowFrom, rowTo);
    }

    @Override
    public void dequantizeRow(int r, float[] out, int offset) {
        Shapes.checkRow(this, r, out, offset);
        MemorySegment.copy(view, Layouts.F32, r * rowBytes, out, offset, cols);
    }
}
