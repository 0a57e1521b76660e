package dev.cria.train.op;

import dev.cria.model.LlamaConfig;
import dev.cria.tensor.Parallel;

/**
 * Rotary position embeddings in Hugging Face's order ({@code rotate_half}): within a head of size {@code d}, frequency
 * {@code i < d/2} turns the pair {@code (x_i, x_{i+d/2})} by the angle {@code pos · ω_i}. The trainer keeps the query and
 * key rows in this order so that its checkpoints are Hugging Face checkpoints; GGUF export permutes them into adjacent
 * pairs ({@code dev.cria.model.io.hf.RotaryRowOrder}). The angles are the inference model's
 * ({@link dev.cria.model.RotaryEmbedding}: θ, and Llama 3.1's scaling when the config has it).
 *
 * <p>Per pair, {@code y = R(θ) x} with {@code R = [[c, -s], [s, c]]}; a rotation is orthogonal, so the backward is
 * the inverse rotation {@code dx = R(θ)ᵀ dy = R(-θ) dy}. Nothing needs saving.
 */
public final class RotaryEmbedding {
    private final int headSize;
    private final int seqLen;
    private final float[] cos;
    private final float[] sin;

    /** Tables of {@code cos(pos·ω_i)} and {@code sin(pos·ω_i)} for {@code pos < seqLen}, each (seqLen, headSize/2). */
    public RotaryEmbedding(LlamaConfig config, int seqLen) {
        this.headSize = config.headSize();
        this.seqLen = seqLen;
        int half = headSize / 2;
        this.cos = new float[seqLen * half];
        this.sin = new float[seqLen * half];
        var angles = new dev.cria.model.RotaryEmbedding(config, null);
        for (int pos = 0; pos < seqLen; pos++) {
            angles.angles(pos, cos, sin, pos * half);
        }
    }

    public int seqLen() {
        return seqLen;
    }

    /** in and out are (B, T, heads·headSize) and may be the same array. */
    public void forward(Parallel parallel, float[] out, float[] in, int batch, int heads) {
        rotate(parallel, out, in, batch, heads, 1f);
    }

    /** dOut and dIn are (B, T, heads·headSize) and may be the same array; dIn is overwritten. */
    public void backward(Parallel parallel, float[] dIn, float[] dOut, int batch, int heads) {
        rotate(parallel, dIn, dOut, batch, heads, -1f);
    }

    private void rotate(Parallel parallel, float[] out, float[] in, int batch, int heads, float direction) {
        int half = headSize / 2;
        int width = heads * headSize;
        parallel.forRange(batch * seqLen, (from, to) -> {
            for (int row = from; row < to; row++) {
                int cs = (row % seqLen) * half;
                for (int h = 0; h < heads; h++) {
                    int base = row * width + h * headSize;
                    for (int i = 0; i < half; i++) {
                        float c = cos[cs + i];
                        float s = direction * sin[cs + i];
                        float x0 = in[base + i];
                        float x1 = in[base + half + i];
                        out[base + i] = x0 * c - x1 * s;
                        out[base + half + i] = x1 * c + x0 * s;
                    }
                }
            }
        });
    }
}
