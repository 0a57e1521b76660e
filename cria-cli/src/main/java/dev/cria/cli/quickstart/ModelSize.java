package dev.cria.cli.quickstart;

import java.util.Locale;

/**
 * The two LLaMA shapes the quickstart trains (pre-norm RMSNorm, SwiGLU, rotary embeddings, grouped-query attention),
 * the shapes of {@code configs/train-tiny.yaml} and {@code configs/train-small.yaml}. The SwiGLU width is about
 * 2/3 · 4 · dim as in LLaMA §2.2; the peak learning rates are the ones those configs were tuned with.
 */
public enum ModelSize {
    TINY(128, 4, 4, 2, 352, 4.0e-3),
    SMALL(192, 4, 6, 3, 512, 3.0e-3);

    private final int dim;
    private final int layers;
    private final int heads;
    private final int kvHeads;
    private final int hidden;
    private final double lr;

    ModelSize(int dim, int layers, int heads, int kvHeads, int hidden, double lr) {
        this.dim = dim;
        this.layers = layers;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.hidden = hidden;
        this.lr = lr;
    }

    public int dim() {
        return dim;
    }

    public int layers() {
        return layers;
    }

    public int heads() {
        return heads;
    }

    public int kvHeads() {
        return kvHeads;
    }

    public int hidden() {
        return hidden;
    }

    public double lr() {
        return lr;
    }

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String describe() {
        return String.format(Locale.ROOT, "dim %d, %d layers, %d heads, %d kv heads, SwiGLU hidden %d", dim, layers, heads, kvHeads, hidden);
    }
}
