package dev.cria.tensor.quant;

import dev.cria.tensor.DType;
import dev.cria.tensor.Layouts;
import dev.cria.tensor.Matrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Q4_0 weights: blocks of 32 values, one f16 scale then 16 bytes; byte j holds value j (low nibble) and value
 * j + 16 (high nibble); value = d * (nibble - 8).
 */
public final class Q4_0Matrix implements Matrix {
    private static final int QK = 32;
    private static final int BLOCK_BYTES = 18;

    private final MemorySegment data;
    private final int rows;
    private final int cols;
    private final int blocksPerRow;

    public Q4_0Matrix(MemorySegment data, int rows, int cols) {
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.blocksPerRow = cols / QK;
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
        return DType.Q4_0;
    }

    @Override
    public MemorySegment data() {
        return data;
    }

    private float rowDot(int r, float[] x, int xOff) {
        long base = (long) r * blocksPerRow * BLOCK_BYTES;
        float s = 0f;
        for (int b = 0; b < blocksPerRow; b++) {
            long block = base + (long) b * BLOCK_BYTES;
            float d = Layouts.f16ToF32(data.get(Layouts.I16, block));
            float sum = 0f;
            int xb = xOff + b * QK;
            for (int j = 0; j < QK / 2; j++) {
                int q = data.get(ValueLayout.JAVA_BYTE, block + 2 + j) & 0xFF;
                sum += ((q & 0x0F) - 8) * x[xb + j] + ((q >>> 4) - 8) * x[xb + j + QK / 2];
            }
            s += d * sum;
        }
        return s;
    }

    @Override
    public void matvec(float[] x, float[] y, int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            y[r] = rowDot(r, x, 0);
        }
    }

    @Override
    public void matmul(float[] x, int n, float[] y, int rowFrom, int rowTo) {
        for (int t = 0; t < n; t++) {
            for (int r = rowFrom; r < rowTo; r++) {
                y[t * rows + r] = rowDot(r, x, t * cols);
            }
        }
    }

    @Override
    public void dequantizeRow(int r, float[] out, int offset) {
        long base = (long) r * blocksPerRow * BLOCK_BYTES;
        for (int b = 0; b < blocksPerRow; b++) {
            long block = base + (long) b * BLOCK_BYTES;
            float d = Layouts.f16ToF32(data.get(Layouts.I16, block));
            for (int j = 0; j < QK / 2; j++) {
                int q = data.get(ValueLayout.JAVA_BYTE, block + 2 + j) & 0xFF;
                out[offset + b * QK + j] = ((q & 0x0F) - 8) * d;
                out[offset + b * QK + j + QK / 2] = ((q >>> 4) - 8) * d;
            }
        }
    }
}
