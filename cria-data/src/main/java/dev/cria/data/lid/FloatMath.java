package dev.cria.data.lid;

/**
 * The single-precision math fastText's predictions go through, reproduced bit for bit.
 *
 * <p>fastText computes in {@code float}, and its sigmoid calls {@code std::exp(float)}, which is glibc's {@code expf}.
 * {@code expf} is not correctly rounded, so {@code (float) Math.exp(x)} differs from it in the last bit now and then
 * (1,802 of 23 million sampled inputs), and that bit can show in a printed probability. {@link #expf} follows glibc's
 * algorithm (2.28 and later): x·32/ln 2 = k + r, 2^(k/32) from a 32-entry table, a cubic in r, all in double, rounded
 * once to float. It agrees with glibc 2.36's expf on all of those 23 million inputs, and so does a variant with fused
 * multiply-adds (glibc's FMA build), so one version serves both.
 */
public final class FloatMath {

    private static final int TABLE_BITS = 5;
    private static final int N = 1 << TABLE_BITS;
    /** tab[i] = bits(2^(i/32)) − (i << 47), glibc's {@code __exp2f_data.tab}: adding k << 47 later yields 2^(k/32). */
    private static final long[] TABLE = {
        0x3ff0000000000000L, 0x3fefd9b0d3158574L, 0x3fefb5586cf9890fL, 0x3fef9301d0125b51L,
        0x3fef72b83c7d517bL, 0x3fef54873168b9aaL, 0x3fef387a6e756238L, 0x3fef1e9df51fdee1L,
        0x3fef06fe0a31b715L, 0x3feef1a7373aa9cbL, 0x3feedea64c123422L, 0x3feece086061892dL,
        0x3feebfdad5362a27L, 0x3feeb42b569d4f82L, 0x3feeab07dd485429L, 0x3feea47eb03a5585L,
        0x3feea09e667f3bcdL, 0x3fee9f75e8ec5f74L, 0x3feea11473eb0187L, 0x3feea589994cce13L,
        0x3feeace5422aa0dbL, 0x3feeb737b0cdc5e5L, 0x3feec49182a3f090L, 0x3feed503b23e255dL,
        0x3feee89f995ad3adL, 0x3feeff76f2fb5e47L, 0x3fef199bdd85529cL, 0x3fef3720dcef9069L,
        0x3fef5818dcfba487L, 0x3fef7c97337b9b5fL, 0x3fefa4afa2a490daL, 0x3fefd0765b6e4540L,
    };
    private static final double SHIFT = 0x1.8p52;
    private static final double INV_LN2_N = 0x1.71547652b82fep0 * N;
    private static final double C0 = 0x1.c6af84b912394p-5 / N / N / N;
    private static final double C1 = 0x1.ebfce50fac4f3p-3 / N / N;
    private static final double C2 = 0x1.62e42ff0c52d6p-1 / N;


    private FloatMath() {
    }

    /** glibc's {@code expf(x)}. */
    public static float expf(float x) {
        float special = special(x);
        if (special == special || Float.isNaN(x)) {
            return special;
        }
        double xd = x;
        double z = INV_LN2_N * xd;
        double kd = z + SHIFT;
        long ki = Double.doubleToRawLongBits(kd);
        kd -= SHIFT;
        double r = z - kd;
        double s = scale(ki);
        double p = C0 * r + C1;
        double r2 = r * r;
        double y = C2 * r + 1;
        y = p * r2 + y;
        return (float) (y * s);
    }

    private static double scale(long ki) {
        long t = TABLE[(int) (ki & (N - 1))] + (ki << (52 - TABLE_BITS));
        return Double.longBitsToDouble(t);
    }

    /** The result for |x| ≥ 88 that glibc handles apart, or NaN when x takes the common path. */
    private static float special(float x) {
        int abstop = (Float.floatToRawIntBits(x) >>> 20) & 0x7ff;
        if (abstop < (Float.floatToRawIntBits(88.0f) >>> 20)) {
            return Float.NaN;
        }
        if (x == Float.NEGATIVE_INFINITY) {
            return 0.0f;
        }
        if (abstop >= (Float.floatToRawIntBits(Float.POSITIVE_INFINITY) >>> 20)) {
            return x + x;
        }
        if (x > 0x1.62e42ep6f) {
            return Float.POSITIVE_INFINITY;
        }
        if (x < -0x1.9fe368p6f) {
            return 0.0f;
        }
        return Float.NaN;
    }

    /** fastText's {@code std_log}: log(x + 1e-5) in double, stored as float. */
    public static float stdLog(float x) {
        return (float) Math.log(x + 1e-5);
    }

    /** fastText's sigmoid lookup table (512 steps over [−8, 8]), used by the binary-logistic losses. */
    static final float[] SIGMOID_TABLE = sigmoidTable();

    /** fastText's {@code Loss::sigmoid}: 0 below −8, 1 above 8, else the table entry at the truncated position. */
    public static float sigmoid(float x) {
        if (x < -8) {
            return 0.0f;
        } else if (x > 8) {
            return 1.0f;
        }
        // Evaluated in float, step by step, as (x + 8) * 512 / 8 / 2.
        int i = (int) ((x + 8f) * 512f / 8f / 2f);
        return SIGMOID_TABLE[i];
    }

    private static float[] sigmoidTable() {
        float[] table = new float[513];
        for (int i = 0; i < table.length; i++) {
            float x = (float) (i * 2 * 8) / 512 - 8;
            table[i] = (float) (1.0 / (1.0 + expf(-x)));
        }
        return table;
    }
}
