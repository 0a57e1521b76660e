package dev.cria.tensor.quant;

/**
 * The scalar float rules GGML's reference quantizers rely on, written out so that Java reproduces their bytes:
 * C's {@code roundf}, the x86 float-to-int conversion a C cast compiles to, and GGML's f32 to f16 conversion.
 */
final class GgmlFloat {
    /** What {@code cvttss2si}/{@code cvttps2dq} return for NaN and for values outside the int range. */
    static final int INTEGER_INDEFINITE = Integer.MIN_VALUE;

    private GgmlFloat() {
    }

    /** C's {@code roundf}: to the nearest integer, halfway cases away from zero (Java's Math.round rounds them up). */
    static float roundHalfAwayFromZero(float x) {
        // |x| + 0.5 is exact in double for every float below 2^29; above 2^23 a float is already an integer and
        // the rounded sum floors back to it.
        return (float) Math.copySign(Math.floor(Math.abs((double) x) + 0.5), x);
    }

    /**
     * The x86 conversion a C cast from float to an integer compiles to: truncation toward zero, and the "integer
     * indefinite" value 0x80000000 for NaN and out-of-range inputs (a C cast of those is undefined; GGML's compiled
     * library does this, and a narrower C integer type then keeps the low bits).
     */
    static int truncateLikeX86(float x) {
        if (!(x >= -0x1p31f && x < 0x1p31f)) {
            return INTEGER_INDEFINITE;
        }
        return (int) x;
    }

    /**
     * GGML's {@code GGML_FP32_TO_FP16} in libggml-base: round to nearest even, overflow to infinity, subnormals
     * kept; every NaN becomes the quiet NaN 0x7E00 with the input's sign.
     */
    static short toHalf(float x) {
        if (Float.isNaN(x)) {
            return (short) ((Float.floatToRawIntBits(x) >>> 16) & 0x8000 | 0x7E00);
        }
        return Float.floatToFloat16(x);
    }
}
