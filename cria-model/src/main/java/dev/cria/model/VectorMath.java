package dev.cria.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise and reduction steps of the forward pass over {@code float[]} slices, with the Vector API.
 * Matrix products live in {@code dev.cria.tensor}; these are the small O(n) operations between them.
 */
final class VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorMath() {
    }

    /** {@code Σ a[aOff+i] · b[bOff+i]} for {@code i < n}. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    /** {@code y[yOff+i] += a · x[xOff+i]}. */
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

    /** {@code x[off+i] *= a}. */
    static void scale(float[] x, int off, int n, float a) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            FloatVector.fromArray(S, x, off + i).mul(a).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= a;
        }
    }

    /** {@code x[i] += y[i]} for {@code i} in {@code [from, to)}: a residual connection. */
    static void add(float[] x, float[] y, int from, int to) {
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += L) {
            FloatVector.fromArray(S, x, i).add(FloatVector.fromArray(S, y, i)).intoArray(x, i);
        }
        for (; i < to; i++) {
            x[i] += y[i];
        }
    }

    /**
     * RMSNorm (Zhang and Sennrich 2019), as LLaMA applies it before attention, before the feed-forward block and
     * before the classifier: {@code out = w ⊙ x / sqrt(mean(x²) + eps)}. {@code out} may be {@code x}.
     */
    static void rmsNorm(float[] out, int outOff, float[] x, int xOff, float[] w, int n, float eps) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        int upper = S.loopBound(n);
        for (; i < upper; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            acc = v.fma(v, acc);
        }
        float ss = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            ss += x[xOff + i] * x[xOff + i];
        }
        float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
        i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(inv).mul(FloatVector.fromArray(S, w, i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = w[i] * (inv * x[xOff + i]);
        }
    }

    /** SwiGLU's gate (Shazeer 2020): {@code gate[i] = silu(gate[i]) · up[i]} with {@code silu(g) = g / (1 + e^-g)}, over {@code [from, to)}. */
    static void swiglu(float[] gate, float[] up, int from, int to) {
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += L) {
            FloatVector g = FloatVector.fromArray(S, gate, i);
            FloatVector silu = g.div(g.neg().lanewise(VectorOperators.EXP).add(1f));
            silu.mul(FloatVector.fromArray(S, up, i)).intoArray(gate, i);
        }
        for (; i < to; i++) {
            float g = gate[i];
            gate[i] = g / (1f + (float) Math.exp(-g)) * up[i];
        }
    }

    /** Softmax in place over {@code x[off, off+n)}, shifted by the maximum so that no exponential overflows. */
    static void softmax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        FloatVector vmax = FloatVector.broadcast(S, max);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        int upper = S.loopBound(n);
        for (; i < upper; i += L) {
            FloatVector e = FloatVector.fromArray(S, x, off + i).sub(vmax).lanewise(VectorOperators.EXP);
            e.intoArray(x, off + i);
            acc = acc.add(e);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        scale(x, off, n, 1f / sum);
    }
}
