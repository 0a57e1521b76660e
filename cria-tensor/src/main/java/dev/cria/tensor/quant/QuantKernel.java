package dev.cria.tensor.quant;

import java.util.Locale;

/**
 * How a Q8_0 or Q4_0 matrix multiplies float activations.
 *
 * <p>Measured on the 2-core machine of docs/benchmarks-quant.md (best of many runs, one thread), {@link #F32} is
 * faster everywhere: 1.2 to 1.3 times for Q8_0 decoding, 1.9 times for Q4_0 decoding and over 10 times for prompt
 * batches, where each dequantized weight is reused across tokens by a register-tiled f32 product. The Vector API has
 * no byte multiply-add like AVX2's {@code vpmaddubsw} or AVX-512's {@code vpdpbusd}, so an integer block dot costs
 * as many instructions as widening the weights to f32, plus the activation quantization. {@link #F32} is also more
 * accurate: the activations keep all their bits. It is therefore the default; {@link #Q8_0} exists to reproduce
 * llama.cpp's numbers bit for bit.
 */
public enum QuantKernel {
    /**
     * Weights dequantized to f32 on the fly (exactly ggml's {@code dequantize_row_*} values, or the block sum scaled
     * once by {@code d}), then fused multiply-adds with the f32 activations.
     */
    F32,
    /**
     * llama.cpp's CPU path: each activation row quantized to Q8_0 per 32 values with its AVX2
     * {@code quantize_row_q8_0} (scale {@code 127 / amax}, round half to even), then integer dot products per block
     * scaled by the two f16 scales, accumulated and summed exactly as AVX2 {@code ggml_vec_dot_q8_0_q8_0} /
     * {@code ggml_vec_dot_q4_0_q8_0}: the same float result, bit for bit.
     */
    Q8_0;

    /** The system property that selects the default kernel: {@code f32} or {@code q8_0}. */
    public static final String PROPERTY = "cria.quant.kernel";

    /** The kernel named by {@link #PROPERTY}, or {@link #F32} when it is not set. */
    public static QuantKernel defaultKernel() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return F32;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "f32" -> F32;
            case "q8_0" -> Q8_0;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + ": expected f32 or q8_0");
        };
    }
}
