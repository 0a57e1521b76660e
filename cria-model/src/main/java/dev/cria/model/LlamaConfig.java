package dev.cria.model;

/**
 * The shape and constants of a LLaMA model (1, 2 or 3).
 *
 * @param dim model width (embedding length)
 * @param hiddenDim SwiGLU hidden width (feed-forward length)
 * @param layers number of transformer blocks
 * @param heads attention heads of the queries
 * @param kvHeads attention heads of keys and values (grouped-query attention when fewer than {@code heads})
 * @param vocabSize vocabulary size
 * @param contextLength maximum sequence length the model was trained for
 * @param rmsNormEps epsilon of RMSNorm
 * @param ropeTheta base of the rotary embedding frequencies
 * @param ropeScaling Llama 3.1's frequency scaling, or null
 * @param tiedEmbeddings whether the output projection reuses the token embedding
 */
public record LlamaConfig(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize, int contextLength,
                          float rmsNormEps, float ropeTheta, RopeScaling ropeScaling, boolean tiedEmbeddings) {

    /**
     * Llama 3.1's rope scaling: wavelengths longer than {@code originalContextLength / lowFreqFactor} are divided
     * by {@code factor}, shorter than {@code originalContextLength / highFreqFactor} kept, smoothly in between.
     */
    public record RopeScaling(float factor, float lowFreqFactor, float highFreqFactor, int originalContextLength) {
    }

    public LlamaConfig {
        check(dim > 0 && hiddenDim > 0 && layers > 0 && heads > 0 && kvHeads > 0 && vocabSize > 0 && contextLength > 0,
                "every dimension must be positive");
        check(dim % heads == 0, "dim " + dim + " is not a multiple of heads " + heads);
        check(heads % kvHeads == 0, "heads " + heads + " is not a multiple of kv heads " + kvHeads);
        check((dim / heads) % 2 == 0, "head size " + dim / heads + " must be even for rotary embeddings");
        check(rmsNormEps > 0, "rms_norm_eps must be positive");
        check(ropeTheta > 0, "rope theta must be positive");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid model shape: " + message);
        }
    }

    public int headSize() {
        return dim / heads;
    }

    /** Width of the key and value projections: {@code kvHeads * headSize}. */
    public int kvDim() {
        return kvHeads * headSize();
    }

    /** Query heads sharing one key/value head. */
    public int groupSize() {
        return heads / kvHeads;
    }
}
