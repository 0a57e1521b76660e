package dev.cria.tensor.quant;

import dev.cria.tensor.Layouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * GGML's Q8_0 block (ggml-common.h {@code block_q8_0}): 32 values as an f16 scale {@code d} then 32 int8 {@code q};
 * value {@code i} is {@code q[i] * d} (34 bytes).
 *
 * <p>{@link #quantize} is {@code quantize_row_q8_0_ref} of ggml-quants.c byte for byte:
 * <pre>
 * amax = max |x|        (sequential, as C's MAX(a, b) = a > b ? a : b: a NaN is replaced by the next value)
 * d    = amax / 127     (float), stored as f16
 * id   = d != 0 ? 1 / d : 0      (the float d, not its f16 rounding; a NaN d is "non-zero")
 * q[i] = (int8) roundf(x[i] * id)   (half away from zero; NaN and out-of-range give the x86 value 0x80000000,
 *                                    whose low byte 0 is kept)
 * </pre>
 * {@link #dequantize} is {@code dequantize_row_q8_0}: {@code (float) q * f16ToF32(d)}, one rounding.
 */
public final class Q8_0Codec {
    public static final int BLOCK_SIZE = 32;
    public static final int BLOCK_BYTES = 34;

    private Q8_0Codec() {
    }

    /** Quantizes {@code src[srcOffset, srcOffset + count)} into {@code count / 32} blocks at {@code dst[dstOffset]}. */
    public static void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int count) {
        checkCount(count);
        for (int b = 0; b < count / BLOCK_SIZE; b++) {
            int x = srcOffset + b * BLOCK_SIZE;
            long block = dstOffset + (long) b * BLOCK_BYTES;
            float amax = 0f;
            for (int j = 0; j < BLOCK_SIZE; j++) {
                float a = Math.abs(src[x + j]);
                amax = amax > a ? amax : a;
            }
            float d = amax / 127f;
            float id = d != 0f ? 1f / d : 0f;
            dst.set(Layouts.I16, block, GgmlFloat.toHalf(d));
            for (int j = 0; j < BLOCK_SIZE; j++) {
                int q = GgmlFloat.truncateLikeX86(GgmlFloat.roundHalfAwayFromZero(src[x + j] * id));
                dst.set(ValueLayout.JAVA_BYTE, block + 2 + j, (byte) q);
            }
        }
    }

    /** Dequantizes {@code count / 32} blocks at {@code src[srcOffset]} into {@code dst[dstOffset, dstOffset + count)}. */
    public static void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int count) {
        checkCount(count);
        for (int b = 0; b < count / BLOCK_SIZE; b++) {
            long block = srcOffset + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(src.get(Layouts.I16, block));
            int y = dstOffset + b * BLOCK_SIZE;
            for (int j = 0; j < BLOCK_SIZE; j++) {
                dst[y + j] = src.get(ValueLayout.JAVA_BYTE, block + 2 + j) * d;
            }
        }
    }

    private static void checkCount(int count) {
        if (count < 0 || count % BLOCK_SIZE != 0) {
            throw new IllegalArgumentException("Q8_0 works on whole blocks of " + BLOCK_SIZE + " values, got " + count);
        }
    }
}
