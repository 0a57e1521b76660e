package dev.cria.tensor.quant;

import dev.cria.tensor.DType;
import java.lang.foreign.MemorySegment;

/**
 * Whole matrices to and from GGML's Q8_0 and Q4_0 layouts: row-major, each row a run of blocks (rows never share a
 * block, so {@code cols} must be a multiple of 32). The bytes equal those of ggml's {@code ggml_quantize_chunk}
 * without an importance matrix; see {@link Q8_0Codec} and {@link Q4_0Codec} for the rules.
 */
public final class QuantizedFormats {
    private QuantizedFormats() {
    }

    /** {@code src} ({@code rows × cols}, row-major) quantized to {@code type}. */
    public static byte[] quantize(DType type, float[] src, int rows, int cols) {
        long bytes = checkShape(type, src.length, rows, cols);
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(type + " " + rows + "x" + cols + " needs " + bytes + " bytes, more than a Java array holds; quantize into a MemorySegment");
        }
        byte[] out = new byte[(int) bytes];
        quantize(type, src, rows, cols, MemorySegment.ofArray(out));
        return out;
    }

    /** {@code src} ({@code rows × cols}, row-major) quantized to {@code type} into {@code dst}, which must be exactly its size. */
    public static void quantize(DType type, float[] src, int rows, int cols, MemorySegment dst) {
        long bytes = checkShape(type, src.length, rows, cols);
        if (dst.byteSize() != bytes) {
            throw new IllegalArgumentException(type + " " + rows + "x" + cols + " needs " + bytes + " bytes, destination has " + dst.byteSize());
        }
        long rowBytes = type.rowBytes(cols);
        for (int r = 0; r < rows; r++) {
            switch (type) {
                case Q8_0 -> Q8_0Codec.quantize(src, r * cols, dst, r * rowBytes, cols);
                case Q4_0 -> Q4_0Codec.quantize(src, r * cols, dst, r * rowBytes, cols);
                default -> throw notQuantized(type);
            }
        }
    }

    /** The {@code rows × cols} values of {@code data} in {@code type}'s layout, row-major. */
    public static float[] dequantize(DType type, byte[] data, int rows, int cols) {
        return dequantize(type, MemorySegment.ofArray(data), rows, cols);
    }

    /** The {@code rows × cols} values of {@code data} in {@code type}'s layout, row-major. */
    public static float[] dequantize(DType type, MemorySegment data, int rows, int cols) {
        if (!type.isQuantized()) {
            throw notQuantized(type);
        }
        long values = (long) rows * cols;
        if (rows < 0 || cols < 0 || values > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(type + " " + rows + "x" + cols + " does not fit a float array");
        }
        long bytes = checkShape(type, (int) values, rows, cols);
        if (data.byteSize() != bytes) {
            throw new IllegalArgumentException(type + " " + rows + "x" + cols + " needs " + bytes + " bytes, got " + data.byteSize());
        }
        float[] out = new float[(int) values];
        long rowBytes = type.rowBytes(cols);
        for (int r = 0; r < rows; r++) {
            switch (type) {
                case Q8_0 -> Q8_0Codec.dequantize(data, r * rowBytes, out, r * cols, cols);
                case Q4_0 -> Q4_0Codec.dequantize(data, r * rowBytes, out, r * cols, cols);
                default -> throw notQuantized(type);
            }
        }
        return out;
    }

    private static long checkShape(DType type, int length, int rows, int cols) {
        if (!type.isQuantized()) {
            throw notQuantized(type);
        }
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
        }
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException(type + " rows must hold a multiple of " + type.blockSize() + " values, got " + cols + " columns");
        }
        if ((long) rows * cols != length) {
            throw new IllegalArgumentException(rows + "x" + cols + " matrix needs " + (long) rows * cols + " values, got " + length);
        }
        return type.rowBytes(cols) * rows;
    }

    private static IllegalArgumentException notQuantized(DType type) {
        return new IllegalArgumentException(type + " is not a block-quantized type (expected Q8_0 or Q4_0)");
    }
}
