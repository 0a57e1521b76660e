package dev.cria.model.convert;

import dev.cria.tensor.DType;
import dev.cria.tensor.quant.Q4_0Codec;
import dev.cria.tensor.quant.Q8_0Codec;
import java.lang.foreign.MemorySegment;

/**
 * ggml's reference quantizers ({@code quantize_row_q8_0_ref}, {@code quantize_row_q4_0_ref}), which
 * {@code llama-quantize} uses for these types, as {@link BlockQuantizer}s for the model writers. The arithmetic lives
 * in cria-tensor's {@link Q8_0Codec} and {@link Q4_0Codec}, which are checked byte for byte against ggml.
 */
public final class GgmlQuantizers {

    /** Q8_0: an f16 scale and 32 int8 values (34 bytes per 32 values). */
    public static final BlockQuantizer Q8_0 = new BlockQuantizer() {
        @Override
        public DType type() {
            return DType.Q8_0;
        }

        @Override
        public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstOffset) {
            Q8_0Codec.quantize(src, srcOffset, dst, dstOffset, count);
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
            Q4_0Codec.quantize(src, srcOffset, dst, dstOffset, count);
        }
    };

    private GgmlQuantizers() {
    }

    /** The quantizer for {@code type} (Q8_0 or Q4_0). */
    public static BlockQuantizer of(DType type) {
        return switch (type) {
            case Q8_0 -> Q8_0;
            case Q4_0 -> Q4_0;
            default -> throw new IllegalArgumentException("no quantizer for " + type + " (Q8_0 and Q4_0 are supported)");
        };
    }
}
