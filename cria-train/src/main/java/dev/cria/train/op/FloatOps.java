package dev.cria.train.op;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The few vector primitives the ops share (dot, axpy, scale) with the Vector API. Each result depends only on its
 * inputs and the machine's vector width, never on the thread that computes it.
 */
final class FloatOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private FloatOps() {
    }

    /** {@code Σ a[aOff+i] · b[bOff+i]} for {@code i < n}. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        // Lanes summed in index order: reduceLanes leaves the order open, and its compiled and interpreted forms
        // differ, which would make results depend on when the JIT compiled this method.
        float s = 0f;
        for (int lane = 0; lane < L; lane++) {
            s += acc.lane(lane);
        }
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    /** {@code y[yOff+i] += a · x[xOff+i]} for {@code i < n}. */
    static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector va = FloatVector.broadcast(S, a);
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(va, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    /** {@code x[off+i] *= a} for {@code i < n}. */
    static void scale(float[] x, int off, int n, float a) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            FloatVector.fromArray(S, x, off + i).mul(a).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= a;
        }
    }

    /**
     * {@code s[j] = Σ_d x[xOff+d] · t[tOff + d·ld + j]} for {@code j < count}: one row against {@code count} columns of a
     * transposed (d, ld) matrix, with the columns in vector lanes and each sum running over {@code d} in order.
     */
    static void rowTimesColumns(float[] x, int xOff, int d, float[] t, int tOff, int ld, int count, float[] s) {
        int j = 0;
        for (int upper = S.loopBound(count); j < upper; j += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int e = 0; e < d; e++) {
                acc = FloatVector.fromArray(S, t, tOff + e * ld + j).fma(FloatVector.broadcast(S, x[xOff + e]), acc);
            }
            acc.intoArray(s, j);
        }
        for (; j < count; j++) {
            float acc = 0f;
            for (int e = 0; e < d; e++) {
                acc = Math.fma(t[tOff + e * ld + j], x[xOff + e], acc);
            }
            s[j] = acc;
        }
    }

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it rounds a float of magnitude below 2^22 to the nearest integer. */
    private static final float ROUND = 12582912f;
    private static final float EXP_MIN = -87.33654f;
    private static final float EXP_MAX = 88.72283f;

    /**
     * {@code x[off+i] = exp(scale·x[off+i] - shift)} for {@code i < n}, vectorized: {@code exp(r + k ln 2) = 2^k e^r} with
     * {@code k} the nearest integer to {@code y/ln 2}, {@code |r| ≤ ln2/2}, and Cephes' degree-6 polynomial for
     * {@code e^r} (about 1 ulp). Arguments are clamped to {@code [-87.34, 88.72]}, so a very negative one gives about
     * 1e-38 instead of a denormal or zero. Built from additions, multiplications and fused multiply-adds only, so
     * the vector lanes and the scalar tail give the same bits, compiled or interpreted (the Vector API's own EXP does
     * not promise that).
     */
    static void exp(float[] x, int off, int n, float scale, float shift) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            FloatVector y = FloatVector.fromArray(S, x, off + i).fma(scale, -shift).max(EXP_MIN).min(EXP_MAX);
            FloatVector k = y.fma(LOG2E, ROUND).sub(ROUND);
            FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_HI), y);
            r = k.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector p = FloatVector.broadcast(S, 1.9875691500e-4f);
            p = p.fma(r, FloatVector.broadcast(S, 1.3981999507e-3f));
            p = p.fma(r, FloatVector.broadcast(S, 8.3334519073e-3f));
            p = p.fma(r, FloatVector.broadcast(S, 4.1665795894e-2f));
            p = p.fma(r, FloatVector.broadcast(S, 1.6666665459e-1f));
            p = p.fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
            p = p.mul(r.mul(r)).add(r).add(1f);
            IntVector bits = ((IntVector) k.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
            p.mul(bits.reinterpretAsFloats()).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            float y = Math.min(Math.max(Math.fma(x[off + i], scale, -shift), EXP_MIN), EXP_MAX);
            float k = Math.fma(y, LOG2E, ROUND) - ROUND;
            float r = Math.fma(k, -LN2_HI, y);
            r = Math.fma(k, -LN2_LO, r);
            float p = 1.9875691500e-4f;
            p = Math.fma(p, r, 1.3981999507e-3f);
            p = Math.fma(p, r, 8.3334519073e-3f);
            p = Math.fma(p, r, 4.1665795894e-2f);
            p = Math.fma(p, r, 1.6666665459e-1f);
            p = Math.fma(p, r, 5.0000001201e-1f);
            p = p * (r * r) + r + 1f;
            x[off + i] = p * Float.intBitsToFloat(((int) k + 127) << 23);
        }
    }
}
