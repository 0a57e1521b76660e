package dev.cria.gguf;

import java.util.Arrays;
import java.util.Optional;

/**
 * The tensor element types of ggml ({@code enum ggml_type}), with the id a GGUF file stores and the block
 * layout: {@link #blockSize()} elements are stored together in {@link #blockBytes()} bytes. Plain types have
 * blocks of one element.
 *
 * <p>Block sizes are {@code sizeof(block_*)} in ggml's {@code ggml-common.h}; for example {@code block_q8_0}
 * is an fp16 scale and 32 int8 quants, 2 + 32 = 34 bytes for 32 elements. Ids 4, 5 (Q4_2, Q4_3), 31 to 33
 * and 36 to 38 (the repacked Q4_0_x_y / IQ4_NL_x_y layouts) were removed from ggml and are rejected here.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    /** fp16 d and s, then 32 int8: 36 bytes (gguf-py's table says 40, ggml's static_assert says 36). */
    Q8_1(9, 32, 36),
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    IQ2_XXS(16, 256, 66),
    IQ2_XS(17, 256, 74),
    IQ3_XXS(18, 256, 98),
    IQ1_S(19, 256, 50),
    IQ4_NL(20, 32, 18),
    IQ3_S(21, 256, 110),
    IQ2_S(22, 256, 82),
    IQ4_XS(23, 256, 136),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    IQ1_M(29, 256, 56),
    BF16(30, 1, 2),
    TQ1_0(34, 256, 54),
    TQ2_0(35, 256, 66),
    MXFP4(39, 32, 17),
    NVFP4(40, 64, 36),
    Q1_0(41, 128, 18);

    private static final GgmlType[] BY_ID = new GgmlType[42];

    static {
        for (GgmlType type : values()) {
            BY_ID[type.id] = type;
        }
    }

    private final int id;
    private final int blockSize;
    private final int blockBytes;

    GgmlType(int id, int blockSize, int blockBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** The number that stands for this type in a GGUF tensor info. */
    public int id() {
        return id;
    }

    /** Elements per block. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    /** True for block-quantized types, whose blocks hold more than one element. */
    public boolean isQuantized() {
        return blockSize > 1;
    }

    /** The type numbered {@code id} in a file, if ggml defines one. */
    public static Optional<GgmlType> byId(long id) {
        return id >= 0 && id < BY_ID.length ? Optional.ofNullable(BY_ID[(int) id]) : Optional.empty();
    }

    /**
     * Bytes taken by a tensor of this type with dimensions {@code dims} (first dimension fastest):
     * {@code elements / blockSize * blockBytes}. ggml quantizes rows, so the first dimension must be a multiple
     * of the block size.
     *
     * @throws IllegalArgumentException when there are more than 4 dimensions, one is negative, the first is not
     *                                  a multiple of the block size, or the size does not fit in a long
     */
    public long byteSize(long... dims) {
        if (dims.length > GgufTensorInfo.MAX_DIMS) {
            throw new IllegalArgumentException(dims.length + " dimensions, ggml allows at most " + GgufTensorInfo.MAX_DIMS);
        }
        long elements = 1;
        for (long dim : dims) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension " + dim);
            }
            try {
                elements = Math.multiplyExact(elements, dim);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("element count of " + Arrays.toString(dims) + " overflows a long");
            }
        }
        long rowLength = dims.length == 0 ? 1 : dims[0];
        if (rowLength % blockSize != 0) {
            throw new IllegalArgumentException(this + " stores blocks of " + blockSize
                    + " elements, but the first dimension is " + rowLength);
        }
        try {
            return Math.multiplyExact(elements / blockSize, (long) blockBytes);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("byte size of " + this + " " + Arrays.toString(dims) + " overflows a long");
        }
    }
}
