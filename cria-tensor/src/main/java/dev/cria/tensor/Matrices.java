package dev.cria.tensor;

import dev.cria.tensor.quant.Q4_0Matrix;
import dev.cria.tensor.quant.Q8_0Matrix;
import java.lang.foreign.MemorySegment;

/** Wraps raw bytes (a GGUF tensor, a file slice, an array) as a {@link Matrix} of the given format. */
public final class Matrices {
    private Matrices() {
    }

    public static Matrix of(DType type, MemorySegment data, int rows, int cols) {
        long expected = type.rowBytes(cols) * rows;
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException(type + " matrix " + rows + "x" + cols + " needs " + expected + " bytes, got " + data.byteSize());
        }
        return switch (type) {
            case F32 -> new F32Matrix(data, rows, cols);
            case F16 -> new HalfMatrix(data, rows, cols, false);
            case BF16 -> new HalfMatrix(data, rows, cols, true);
            case Q8_0 -> new Q8_0Matrix(data, rows, cols);
            case Q4_0 -> new Q4_0Matrix(data, rows, cols);
        };
    }

    /** An F32 matrix over a heap array (row-major). */
    public static Matrix of(float[] values, int rows, int cols) {
        if (values.length != Math.multiplyExact(rows, cols)) {
            throw new IllegalArgumentException(rows + "x" + cols + " matrix needs " + (long) rows * cols + " values, got " + values.length);
        }
        return new F32Matrix(MemorySegment.ofArray(values), rows, cols);
    }
}
