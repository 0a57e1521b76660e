package dev.cria.tensor;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Double-precision products and the fp32 error bound the kernels are held to.
 *
 * <p>Every product {@code w·x} enters an fp32 sum exactly (FMA rounds once, after the add), and each term passes
 * through at most {@code d = ceil(cols / 8) + 11} rounded additions: one per step of a vector accumulator, two to
 * combine 4 accumulators, three to reduce 8 lanes, then up to 7 scalar FMAs for the columns that do not fill a
 * vector (f16 and bf16 weights convert to fp32 exactly, so they add nothing). Higham's bound for such a sum is
 * {@code |ŝ - s| <= γ_d · Σ|w·x|} with {@code γ_d = d·u / (1 - d·u)} and {@code u = 2⁻²⁴}; any wrong index or
 * dropped term breaks it by orders of magnitude on random data.
 */
final class Reference {
    private static final double U = 0x1p-24;

    private Reference() {
    }

    /** {@code y[r] = Σ_c w[r][c]·x[c]} in double, and the matching {@code Σ|w·x|} in {@code abs}. */
    static double[] matvec(float[] w, int rows, int cols, float[] x, int xOff, double[] abs) {
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            double a = 0;
            for (int c = 0; c < cols; c++) {
                double p = (double) w[r * cols + c] * x[xOff + c];
                s += p;
                a += Math.abs(p);
            }
            y[r] = s;
            abs[r] = a;
        }
        return y;
    }

    static double bound(int cols, double absSum) {
        int d = (cols + 7) / 8 + 11;
        double gamma = d * U / (1 - d * U);
        return gamma * absSum + Float.MIN_NORMAL;
    }

    /** Checks {@code y[t·yStride + r]} against the double product of row {@code r} with {@code X[t,:]}, for {@code r} in {@code [from, to)}. */
    static void assertMatmul(float[] w, int rows, int cols, float[] x, int n, float[] y, int from, int to, String what) {
        double[] abs = new double[rows];
        for (int t = 0; t < n; t++) {
            double[] ref = matvec(w, rows, cols, x, t * cols, abs);
            for (int r = from; r < to; r++) {
                double got = y[t * rows + r];
                double err = Math.abs(got - ref[r]);
                double bound = bound(cols, abs[r]);
                if (!(err <= bound)) {
                    fail(what + ": Y[" + t + "][" + r + "] = " + got + ", reference " + ref[r] + ", error " + err
                            + " > bound " + bound);
                }
            }
        }
    }
}
