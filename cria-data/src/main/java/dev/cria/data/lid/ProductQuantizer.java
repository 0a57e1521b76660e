package dev.cria.data.lid;

import java.io.IOException;

/**
 * fastText's product quantizer: a {@code dim}-vector is cut into {@code nsubq} slices of {@code dsub} values (the last
 * one {@code lastdsub}), and each slice is one byte naming one of 256 centroids of that slice. File layout: int32 dim,
 * nsubq, dsub, lastdsub, then float32 centroids[dim × 256] (slice m's centroids together, 256 × its width).
 */
record ProductQuantizer(int dim, int nsubq, int dsub, int lastdsub, float[] centroids) {
    static final int KSUB = 256;

    static ProductQuantizer read(ModelInput in, String what) throws FastTextFormatException {
        long at = in.offset();
        int dim = in.int32(what + " dim");
        int nsubq = in.int32(what + " nsubq");
        int dsub = in.int32(what + " dsub");
        int lastdsub = in.int32(what + " lastdsub");
        if (dim <= 0 || nsubq <= 0 || dsub <= 0 || lastdsub <= 0 || (long) dsub * (nsubq - 1) + lastdsub != dim) {
            throw in.error(at, what + ": inconsistent shape dim " + dim + ", nsubq " + nsubq + ", dsub " + dsub
                    + ", lastdsub " + lastdsub + " (expected dsub × (nsubq − 1) + lastdsub = dim)");
        }
        if (4L * dim * KSUB > in.remaining()) {
            throw in.error(in.offset(), "truncated: " + what + " needs " + 4L * dim * KSUB
                    + " bytes of centroids, the file has " + in.remaining() + " left");
        }
        float[] centroids = new float[dim * KSUB];
        in.floats(centroids, what + " centroids");
        return new ProductQuantizer(dim, nsubq, dsub, lastdsub, centroids);
    }

    /** Where centroid {@code code} of slice {@code m} starts in {@link #centroids}. */
    int centroid(int m, int code) {
        return m == nsubq - 1 ? m * KSUB * dsub + code * lastdsub : (m * KSUB + code) * dsub;
    }

    /** x += alpha · (the vector coded at {@code codes[offset ..]}), each slice's product rounded to float first. */
    void addCode(float[] x, byte[] codes, int offset, float alpha) {
        for (int m = 0; m < nsubq; m++) {
            int c = centroid(m, codes[offset + m] & 0xff);
            int d = m == nsubq - 1 ? lastdsub : dsub;
            for (int n = 0; n < d; n++) {
                x[m * dsub + n] += alpha * centroids[c + n];
            }
        }
    }

    /** alpha · (x · the coded vector), the dot accumulated in float in slice order. */
    float mulCode(float[] x, byte[] codes, int offset, float alpha) {
        float res = 0f;
        for (int m = 0; m < nsubq; m++) {
            int c = centroid(m, codes[offset + m] & 0xff);
            int d = m == nsubq - 1 ? lastdsub : dsub;
            for (int n = 0; n < d; n++) {
                res += x[m * dsub + n] * centroids[c + n];
            }
        }
        return res * alpha;
    }

    void write(ModelOutput out) throws IOException {
        out.int32(dim);
        out.int32(nsubq);
        out.int32(dsub);
        out.int32(lastdsub);
        out.floats(centroids);
    }
}
