package dev.cria.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * F16 or BF16 weights, row-major, read through a plain native view (see {@link Matrices#kernelSegment}) and
 * converted to fp32 on the fly.
 *
 * <p>Matrix-vector: bf16 rows are widened in registers inside the dot product (a shift per vector); f16 rows are
 * first converted into a per-thread array by the F16C loop of {@link HalfFloats}, then dotted by the fp32 kernel.
 * Matrix-matrix: each 4-row tile is converted once per token block, copied into a per-thread native segment and
 * multiplied by the fp32 register-tiled kernel, so the conversion is amortized over the block's tokens.
 */
final class HalfMatrix implements Matrix {
    private static final int L = F32Kernels.S.length();

    private final MemorySegment data;
    private final MemorySegment view;
    private final int rows;
    private final int cols;
    private final boolean brain;
    private final long rowBytes;

    HalfMatrix(MemorySegment data, int rows, int cols, boolean brain) {
        this.data = data;
        this.view = Matrices.kernelSegment(data);
        this.rows = rows;
        this.cols = cols;
        this.brain = brain;
        this.rowBytes = 2L * cols;
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

    @Override
    public void matvec(float[] x, float[] y, int rowFrom, int rowTo) {
        Shapes.checkMatvec(this, x, y, rowFrom, rowTo);
        if (brain) {
            for (int r = rowFrom; r < rowTo; r++) {
                y[r] = dotBf16(r * rowBytes, x);
            }
            return;
        }
        float[] row = Scratch.floats(cols);
        for (int r = rowFrom; r < rowTo; r++) {
            HalfFloats.f16ToF32(view, r * rowBytes, row, 0, cols);
            y[r] = F32Kernels.dot(row, 0, x, 0, cols);
        }
    }

    /** A bf16 row at byte {@code off} dotted with {@code x}, 4 accumulators as in the fp32 kernel. */
    private float dotBf16(long off, float[] x) {
        FloatVector a0 = FloatVector.zero(F32Kernels.S), a1 = a0, a2 = a0, a3 = a0;
        int c = 0;
        for (int bound4 = cols - cols % (4 * L); c < bound4; c += 4 * L) {
            long o = off + 2L * c;
            a0 = HalfFloats.bf16Vector(view, o).fma(FloatVector.fromArray(F32Kernels.S, x, c), a0);
            a1 = HalfFloats.bf16Vector(view, o + 2 * L).fma(FloatVector.fromArray(F32Kernels.S, x, c + L), a1);
            a2 = HalfFloats.bf16Vector(view, o + 4 * L).fma(FloatVector.fromArray(F32Kernels.S, x, c + 2 * L), a2);
            a3 = HalfFloats.bf16Vector(view, o + 6 * L).fma(FloatVector.fromArray(F32Kernels.S, x, c + 3 * L), a3);
        }
        for (int bound = F32Kernels.S.loopBound(cols); c < bound; c += L) {
            a0 = HalfFloats.bf16Vector(view, off + 2L * c).fma(FloatVector.fromArray(F32Kernels.S, x, c), a0);
        }
        float s = F32Kernels.sum(a0.add(a1).add(a2.add(a3)));
        for (; c < cols; c++) {
            s = Math.fma(Layouts.bf16ToF32(view.get(Layouts.I16, off + 2L * c)), x[c], s);
        }
        return s;
    }

    @Override
    public void matmul(float[] x, int n, float[] y, int rowFrom, int rowTo) {
        Shapes.checkMatmul(this, x, n, y, rowFrom, rowTo);
        int tileValues = F32Kernels.TILE_ROWS * cols;
        float[] converted = Scratch.floats(tileValues);
        MemorySegment tile = Scratch.segment(4L * tileValues);
        int block = F32Kernels.tokenBlock(cols);
        for (int t0 = 0; t0 < n; t0 += block) {
            int t1 = Math.min(n, t0 + block);
            for (int r = rowFrom; r < rowTo; r += F32Kernels.TILE_ROWS) {
                int tileRows = Math.min(F32Kernels.TILE_ROWS, rowTo - r);
                // The tile's rows are adjacent in W, so they convert as one run of values.
                toF32(r * rowBytes, converted, 0, tileRows * cols);
                MemorySegment.copy(converted, 0, tile, Layouts.F32, 0, tileRows * cols);
                F32Kernels.rowTile(tile, 0, 4L * cols, tileRows, cols, x, t0, t1, y, rows, r);
            }
        }
    }

    private void toF32(long srcOffset, float[] dst, int dstOffset, int count) {
        if (brain) {
            HalfFloats.bf16ToF32(view, srcOffset, dst, dstOffset, count);
        } else {
            HalfFloats.f16ToF32(view, srcOffset, dst, dstOffset, count);
        }
    }

    @Override
    public void dequantizeRow(int r, float[] out, int offset) {
        Shapes.checkRow(this, r, out, offset);
        toF32(r * rowBytes, out, offset, cols);
    }
}
