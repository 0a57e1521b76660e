package dev.cria.tensor;

/**
 * Storage formats of weights, with GGML's block layouts for the quantized ones.
 *
 * <pre>
 * F32   4 bytes per value
 * F16   2 bytes, IEEE half
 * BF16  2 bytes, the top half of an f32
 * Q8_0  blocks of 32 values: f16 scale d, then 32 int8 q;            value = d * q          (34 bytes)
 * Q4_0  blocks of 32 values: f16 scale d, then 16 bytes of nibbles;   value = d * (nibble - 8) (18 bytes)
 *       byte j holds value j in its low nibble and value j + 16 in its high nibble
 * </pre>
 */
public enum DType {
    F32(1, 4),
    F16(1, 2),
    BF16(1, 2),
    Q8_0(32, 34),
    Q4_0(32, 18);

    private final int blockSize;
    private final int blockBytes;

    DType(int blockSize, int blockBytes) {
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** Values per block (1 for plain floats). */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    public boolean isQuantized() {
        return blockSize > 1;
    }

    /** Bytes of a row of {@code cols} values; {@code cols} must be a multiple of the block size. */
    public long rowBytes(int cols) {
        if (cols % blockSize != 0) {
            throw new IllegalArgumentException(this + " rows must hold a multiple of " + blockSize + " values, got " + cols);
        }
        return (long) cols / blockSize * blockBytes;
    }
}
