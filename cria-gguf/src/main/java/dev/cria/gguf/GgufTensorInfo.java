package dev.cria.gguf;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a GGUF tensor directory.
 *
 * @param name       the tensor's name, e.g. {@code blk.0.attn_q.weight}
 * @param type       the element type
 * @param dimensions sizes, first dimension fastest: dims {@code [64, 512]} are 512 rows of 64 contiguous
 *                   elements, the layout of a row-major {@code float[512][64]}
 * @param offset     where the tensor's bytes start, counted from the start of the data section
 */
public record GgufTensorInfo(String name, GgmlType type, long[] dimensions, long offset) {

    /** ggml's {@code GGML_MAX_DIMS}. */
    public static final int MAX_DIMS = 4;

    public GgufTensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        dimensions = dimensions.clone();
        type.byteSize(dimensions);
        if (offset < 0) {
            throw new IllegalArgumentException("negative data offset " + offset);
        }
    }

    /** A copy of the dimensions. */
    @Override
    public long[] dimensions() {
        return dimensions.clone();
    }

    public int rank() {
        return dimensions.length;
    }

    /** Dimension {@code i}, first dimension fastest. */
    public long dimension(int i) {
        return dimensions[i];
    }

    public long elementCount() {
        long n = 1;
        for (long d : dimensions) {
            n *= d;
        }
        return n;
    }

    /** Bytes of the tensor's data, from {@link GgmlType#byteSize(long...)}. */
    public long byteSize() {
        return type.byteSize(dimensions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo other && name.equals(other.name) && type == other.type
                && Arrays.equals(dimensions, other.dimensions) && offset == other.offset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(dimensions), offset);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dimensions) + " at +" + offset;
    }
}
