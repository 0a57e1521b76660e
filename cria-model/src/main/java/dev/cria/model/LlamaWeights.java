package dev.cria.model;

import dev.cria.tensor.Matrix;
import java.util.List;

/**
 * The weights of a LLaMA model in the orientation the forward pass uses: every matrix is {@code [out][in]}
 * (GGUF's and llama2.c's row-major layout), norms are plain vectors. The query and key rows are in the
 * interleaved-pair order of GGUF and llama2.c (rotary embeddings rotate {@code (x[2i], x[2i+1])}); loaders of
 * Hugging Face checkpoints permute them into that order.
 *
 * @param tokenEmbedding {@code [vocab][dim]}
 * @param layers the transformer blocks
 * @param finalNorm {@code [dim]}
 * @param output {@code [vocab][dim]}; the token embedding itself when embeddings are tied
 * @param ropeFrequencyFactors Llama 3.1's per-frequency divisors ({@code rope_freqs.weight}, {@code headSize/2}
 *     values), or null
 */
public record LlamaWeights(Matrix tokenEmbedding, List<Layer> layers, float[] finalNorm, Matrix output, float[] ropeFrequencyFactors) {

    /**
     * One transformer block.
     *
     * @param attentionNorm {@code [dim]}
     * @param wq {@code [dim][dim]}
     * @param wk {@code [kvDim][dim]}
     * @param wv {@code [kvDim][dim]}
     * @param wo {@code [dim][dim]}
     * @param ffnNorm {@code [dim]}
     * @param w1 gate, {@code [hidden][dim]}
     * @param w2 down, {@code [dim][hidden]}
     * @param w3 up, {@code [hidden][dim]}
     */
    public record Layer(float[] attentionNorm, Matrix wq, Matrix wk, Matrix wv, Matrix wo, float[] ffnNorm, Matrix w1, Matrix w2, Matrix w3) {
    }

    public LlamaWeights {
        layers = List.copyOf(layers);
    }

    /** Checks every shape against {@code config}; a mismatch names the tensor. */
    public void check(LlamaConfig config) {
        int dim = config.dim();
        int kv = config.kvDim();
        int hidden = config.hiddenDim();
        shape("token embedding", tokenEmbedding, config.vocabSize(), dim);
        shape("output", output, config.vocabSize(), dim);
        vector("final norm", finalNorm, dim);
        if (layers.size() != config.layers()) {
            throw new IllegalArgumentException("model has " + layers.size() + " layers, its metadata says " + config.layers());
        }
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String p = "layer " + i + " ";
            vector(p + "attention norm", l.attentionNorm(), dim);
            shape(p + "wq", l.wq(), dim, dim);
            shape(p + "wk", l.wk(), kv, dim);
            shape(p + "wv", l.wv(), kv, dim);
            shape(p + "wo", l.wo(), dim, dim);
            vector(p + "ffn norm", l.ffnNorm(), dim);
            shape(p + "w1 (gate)", l.w1(), hidden, dim);
            shape(p + "w2 (down)", l.w2(), dim, hidden);
            shape(p + "w3 (up)", l.w3(), hidden, dim);
        }
        if (ropeFrequencyFactors != null) {
            vector("rope frequency factors", ropeFrequencyFactors, config.headSize() / 2);
        }
    }

    private static void shape(String name, Matrix m, int rows, int cols) {
        if (m.rows() != rows || m.cols() != cols) {
            throw new IllegalArgumentException(name + " is " + m.rows() + "x" + m.cols() + ", the model shape needs " + rows + "x" + cols);
        }
    }

    private static void vector(String name, float[] v, int n) {
        if (v.length != n) {
            throw new IllegalArgumentException(name + " has " + v.length + " values, the model shape needs " + n);
        }
    }
}
