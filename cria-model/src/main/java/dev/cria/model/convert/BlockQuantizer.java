package dev.cria.model.convert;

import dev.cria.tensor.DType;
import java.lang.foreign.MemorySegment;

/**
 * Turns rows of floats into one of ggml's block formats. Writers code against this; {@link GgmlQuantizers} has
 * ggml's reference rounding for Q8_0 and Q4_0.
 */
public interface BlockQuantizer {

    /** The block format produced. */
    DType type();

    /**
     * Quantizes {@code count} values of {@code src} starting at {@code srcOffset} into {@code dst} at byte
     * {@code dstOffset}, writing {@code type().rowBytes(count)} bytes.
     *
     * @throws IllegalArgumentException when {@code count} is not a multiple of the block size
     */
    void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstOffset);
}
