package dev.cria.model.convert;

import dev.cria.tensor.DType;
import dev.cria.tensor.Layouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml's reference quantizers ({@code quantize_row_q8_0_ref}, {@code quantize_row_q4_0_ref} in
 * {@code ggml-quants.c}), which {@code llama-quantize} uses for these types: the same float operations in the same
 * order, so the bytes are identical to ggml's. The scale is stored as IEEE half (round to nearest even), but the
 * values are divided by the float scale, as ggml does.
 *
 * <pre>
 * Q8_0, per block of 32:  d = max|x| / 127;   q = round_half_away(x / d)            (q in [-127, 127])
 * Q4_0, per block of 32:  m = the x with the largest |x| (first one on ties);  d = m / -8;
 *                         q = min(15, trunc(x / d + 8.5));  byte j = q[j] | q[j + 16] << 4
 * </pre>
 * A block of zeros gets {@code d = 0} and all-zero quants ({@code 1/d} is replaced by 0).
 */
public final class GgmlQuantizers {
    private static final int QK = 32;

    /** Q8_0: an f16 scale and 32 int8 values (34 bytes per 32 values). */
    public static final BlockQuantizer Q8_0 = new BlockQuantizer() {
        @Override
        public DType type() {
            return DType.Q8_0;
        }

        @Override
        public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstOffset) {
            checkBlocks(count);
            for (int b = 0; b < count / QK; b++) {
                int x = srcOffset + b * QK;
                long y = dstOffset + (long) b * DType.Q8_0.blockBytes();
                float amax = 0f;
                for (int j = 0; j < QK; j++) {
                    amax = Math.max(amax, Math.abs(src[x + j]));
                }
                float d = amax / 127f;
                float id = d != 0f ? 1f / d : 0f;
                dst.set(Layouts.I16, y, Layouts.f32ToF16(d));
                for (int j = 0; j < QK; j++) {
                    dst.set(ValueLayout.JAVA_BYTE, y + 2 + j, (byte) roundHalfAwayFromZero(src[x + j] * id));
                }
            }
        }
    };

    /** Q4_0: an f16 scale and 32 4-bit values offset by 8 (18 bytes per 32 values). */
    public static final BlockQuantizer Q4_0 = new BlockQuantizer() {
        @Override
        public DType type() {
            return DType.Q4_0;
        }

        @Override
        public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstOffset) {
            checkBlocks(count);
            for (int b = 0; b < count / QK; b++) {
                int x = srcOffset + b * QK;
                long y = dstOffset + (long) b * DType.Q4_0.blockBytes();
                float amax = 0f;
                float max = 0f;
                for (int j = 0; j < QK; j++) {
                    float v = src[x + j];
                    if (amax < Math.abs(v)) {
                        amax = Math.abs(v);
                        max = v;
                    }
                }
                float d = max / -8f;
                float id = d != 0f ? 1f / d : 0f;
                dst.set(Layouts.I16, y, Layouts.f32ToF16(d));
                for (int j = 0; j < QK / 2; j++) {
                    int lo = Math.min(15, (int) (src[x + j] * id + 8.5f));
                    int hi = Math.min(15, (int) (src[x + QK / 2 + j] * id + 8.5f));
                    dst.set(ValueLayout.JAVA_BYTE, y + 2 + j, (byte) (lo | hi << 4));
                }
            }
        }
    };

    private GgmlQuantizers() {
    }

    /** The quantizer of {@code type}. */
    public static BlockQuantizer of(DType type) {
        return switch (type) {
            case Q8_0 -> Q8_0;
            case Q4_0 -> Q4_0;
            default -> throw new IllegalArgumentException(type + " is not a block-quantized format");
        };
    }

    private static void checkBlocks(int count) {
        if (count % QK != 0) {
            throw new IllegalArgumentException("quantized rows hold a multiple of " + QK + " values, got " + count);
        }
    }

    /** C's {@code roundf}: halves go away from zero (Java's {@link Math#round(float)} sends -2.5 to -2). */
    static float roundHalfAwayFromZero(float v) {
        return (float) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    }
}
