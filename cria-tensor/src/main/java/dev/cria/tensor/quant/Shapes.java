package dev.cria.tensor.quant;

import dev.cria.tensor.DType;
import java.lang.foreign.MemorySegment;

/** Argument checks of the quantized matrices: a wrong size is a clear message, never an index exception mid-loop. */
final class Shapes {
    private Shapes() {
    }

    static void checkMatrix(DType type, MemorySegment data, int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(type + " matrix with negative shape " + rows + "x" + cols);
        }
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException(type + " rows must hold a multiple of " + type.blockSize() + " values, got " + cols + " columns");
        }
        long expected = type.rowBytes(cols) * rows;
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException(type + " matrix " + rows + "x" + cols + " needs " + expected + " bytes, got " + data.byteSize());
        }
    }

    static void checkProduct(int rows, int cols, float[] x, int n, float[] y, int rowFrom, int rowTo) {
        if (n < 0) {
            throw new IllegalArgumentException("negative token count " + n);
        }
        if (rowFrom < 0 || rowFrom > rowTo || rowTo > rows) {
            throw new IndexOutOfBoundsException("row range [" + rowFrom + ", " + rowTo + ") outside [0, " + rows + ")");
        }
        if ((long) n * cols > x.length) {
            throw new IllegalArgumentException("activations need " + n + "x" + cols + " values, got " + x.length);
        }
        if ((long) n * rows > y.length) {
            throw new IllegalArgumentException("output needs " + n + "x" + rows + " values, got " + y.length);
        }
    }

    static void checkRow(int rows, int cols, int r, float[] out, int offset) {
        if (r < 0 || r >= rows) {
            throw new IndexOutOfBoundsException("row " + r + " outside [0, " + rows + ")");
        }
        if (offset < 0 || (long) offset + cols > out.length) {
            throw new IndexOutOfBoundsException("row of " + cols + " values does not fit at offset " + offset + " of " + out.length);
        }
    }
}
