package dev.cria.tensor;

import java.lang.foreign.MemorySegment;

/**
 * A read-only weight matrix of {@code rows × cols} values stored row-major in one {@link DType} (memory-mapped or
 * on the heap). Models multiply activations by it and never look at the format.
 *
 * <p>The range methods compute a slice of rows on the calling thread; {@link Kernels} spreads whole products over
 * the threads of a {@link Parallel}.
 */
public interface Matrix {

    int rows();

    int cols();

    DType type();

    /** The raw bytes, in the format's layout. */
    MemorySegment data();

    /** {@code y[r] = W[r,:] · x} for {@code r} in {@code [rowFrom, rowTo)}; {@code x} has {@code cols()} values. */
    void matvec(float[] x, float[] y, int rowFrom, int rowTo);

    /**
     * {@code Y[t][r] = W[r,:] · X[t,:]} for every {@code t < n} and {@code r} in {@code [rowFrom, rowTo)};
     * {@code X} is {@code n × cols()} and {@code Y} is {@code n × rows()}, both row-major.
     */
    void matmul(float[] x, int n, float[] y, int rowFrom, int rowTo);

    /** Writes row {@code r} as floats into {@code out[offset, offset + cols())}. */
    void dequantizeRow(int r, float[] out, int offset);

    /** All values as floats, row-major (for tests and conversions; allocates). */
    default float[] toFloatArray() {
        float[] out = new float[Math.multiplyExact(rows(), cols())];
        for (int r = 0; r < rows(); r++) {
            dequantizeRow(r, out, r * cols());
        }
        return out;
    }
}
