package dev.cria.tensor.quant;

import dev.cria.tensor.Layouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * GGML's Q4_0 block (ggml-common.h {@code block_q4_0}): 32 values as an f16 scale {@code d} then 16 bytes; byte
 * {@code j} holds value {@code j} in its low nibble and value {@code j + 16} in its high nibble; value {@code i} is
 * {@code (nibble[i] - 8) * d} (18 bytes).
 *
 * <p>{@link #quantize} is {@code quantize_row_q4_0_ref} of ggml-quants.c byte for byte:
 * <pre>
 * max  = the first x with the largest |x|   (strictly larger replaces; NaN never does)
 * d    = max / -8       (float), stored as f16
 * id   = d != 0 ? 1 / d : 0
 * n[i] = MIN(15, (int8) (x[i] * id + 8.5f))   (truncation; NaN and out-of-range give 0x80000000, low byte 0)
 * byte j = n[j] | n[j + 16] << 4               (as uint8: the C code does not mask the low nibble)
 * </pre>
 * Dividing by -8 maps {@code max} to nibble 0 (value -8) and leaves 7 steps above zero: the sign of the largest
 * value picks which end of [-8, 7] it gets. {@link #dequantize} is {@code dequantize_row_q4_0}.
 */
public final class Q4_0Codec {
    public static final int BLOCK_SIZE = 32;
    public static final int BLOCK_BYTES = 18;

    private Q4_0Codec() {
    }

    /** Quantizes {@code src[srcOffset, srcOffset + count)} into {@code count / 32} blocks at {@code dst[dstOffset]}. */
    public static void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int count) {
        checkCount(count);
        for (int b = 0; b < count / BLOCK_SIZE; b++) {
            int x = srcOffset + b * BLOCK_SIZE;
            long block = dstOffset + (long) b * BLOCK_BYTES;
            float amax = 0f;
            float max = 0f;
            for (int j = 0; j < BLOCK_SIZE; j++) {
                float v = src[x + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8f;
            float id = d != 0f ? 1f / d : 0f;
            dst.set(Layouts.I16, block, GgmlFloat.toHalf(d));
            for (int j = 0; j < BLOCK_SIZE / 2; j++) {
                int lo = nibble(src[x + j] * id);
                int hi = nibble(src[x + BLOCK_SIZE / 2 + j] * id);
                dst.set(ValueLayout.JAVA_BYTE, block + 2 + j, (byte) ((lo & 0xFF) | (hi << 4)));
            }
        }
    }

    private static int nibble(float scaled) {
        return Math.min(15, (byte) GgmlFloat.truncateLikeX86(scaled + 8.5f));
    }

    /** Dequantizes {@code count / 32} blocks at {@code src[srcOffset]} into {@code dst[dstOffset, dstOffset + count)}. */
    public static void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int count) {
        checkCount(count);
        for (int b = 0; b < count / BLOCK_SIZE; b++) {
            long block = srcOffset + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(src.get(Layouts.I16, block));
            int y = dstOffset + b * BLOCK_SIZE;
            for (int j = 0; j < BLOCK_SIZE / 2; j++) {
                int q = src.get(ValueLayout.JAVA_BYTE, block + 2 + j) & 0xFF;
                dst[y + j] = ((q & 0x0F) - 8) * d;
                dst[y + j + BLOCK_SIZE / 2] = ((q >>> 4) - 8) * d;
            }
        }
    }

    private static void checkCount(int count) {
        if (count < 0 || count % BLOCK_SIZE != 0) {
            throw new IllegalArgumentException("Q4_0 works on whole blocks of " + BLOCK_SIZE + " values, got " + count);
        }
    }
}
