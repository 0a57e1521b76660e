package dev.cria.model;

/**
 * Causal scaled dot-product attention of one query head over the cached keys and values of its key/value head
 * (grouped-query attention: {@code groupSize} query heads read the same key/value head).
 *
 * <pre>
 *   a_p = softmax_p(q · k_p / √d)      p in [0, n)
 *   out = Σ_p a_p v_p
 * </pre>
 *
 * The cache of a layer is {@code [position][kvDim]}; head {@code j} occupies columns {@code [j·d, (j+1)·d)}.
 */
final class Attention {
    private Attention() {
    }

    /**
     * @param q the query, {@code d} values at {@code qOff}
     * @param keys the layer's key cache
     * @param values the layer's value cache
     * @param kvDim the cache's row length
     * @param kvOff the head's first column in the cache
     * @param n how many positions to attend (the query's own position + 1)
     * @param scores scratch of at least {@code n} floats at {@code sOff}
     * @param out {@code d} values written at {@code outOff}
     */
    static void head(float[] q, int qOff, float[] keys, float[] values, int kvDim, int kvOff, int n, int headSize,
                     float[] scores, int sOff, float[] out, int outOff) {
        float scale = (float) (1.0 / Math.sqrt(headSize));
        for (int p = 0; p < n; p++) {
            scores[sOff + p] = VectorMath.dot(q, qOff, keys, p * kvDim + kvOff, headSize) * scale;
        }
        VectorMath.softmax(scores, sOff, n);
        java.util.Arrays.fill(out, outOff, outOff + headSize, 0f);
        for (int p = 0; p < n; p++) {
            VectorMath.axpy(scores[sOff + p], values, p * kvDim + kvOff, out, outOff, headSize);
        }
    }
}
