package dev.cria.tensor.quant;

import jdk.incubator.vector.FloatVector;

/**
 * ggml's AVX2 horizontal sum, shared by the integer kernels. (Vector helpers that take an abstract vector are
 * kept per species in the matrix classes: a helper called with both 128- and 256-bit vectors can lose the exact type
 * the Vector API intrinsics need, and then boxes every vector.)
 */
final class VectorSums {
    private VectorSums() {
    }

    /**
     * ggml's {@code hsum_float_8}: {@code r_i = a[4 + i] + a[i]}, then {@code (r0 + r2) + (r1 + r3)}.
     */
    static float ggmlHsum(FloatVector a) {
        return ggmlHsum(a.lane(0), a.lane(1), a.lane(2), a.lane(3), a.lane(4), a.lane(5), a.lane(6), a.lane(7));
    }

    /** {@link #ggmlHsum(FloatVector)} of the eight lanes held as a low and a high four-lane vector. */
    static float ggmlHsum(FloatVector low, FloatVector high) {
        return ggmlHsum(low.lane(0), low.lane(1), low.lane(2), low.lane(3), high.lane(0), high.lane(1), high.lane(2), high.lane(3));
    }

    private static float ggmlHsum(float a0, float a1, float a2, float a3, float a4, float a5, float a6, float a7) {
        float r0 = a4 + a0;
        float r1 = a5 + a1;
        float r2 = a6 + a2;
        float r3 = a7 + a3;
        return (r0 + r2) + (r1 + r3);
    }
}
