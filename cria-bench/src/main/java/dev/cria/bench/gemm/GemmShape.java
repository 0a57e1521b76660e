package dev.cria.bench.gemm;

/**
 * The products a training step of the benchmark models runs, as {@code Gemm.gemm} sees them. stories15M: dim 288,
 * hidden 768, vocab 32000, 2048 tokens (batch 8 × 256); its output projection runs in blocks of 131 rows, as
 * {@code OutputCrossEntropy} does with a 4 M-float logits budget. Small: dim 128, hidden 384, vocab 4096, 1024 tokens.
 * For a linear layer {@code y = x·Wᵀ}: forward (transB), {@code dX = dY·W} (plain), {@code dW += dYᵀ·X} (transA, β 1).
 */
public enum GemmShape {
    ATTN_PROJ_FORWARD(false, true, 2048, 288, 288, 0f),
    FFN_UP_FORWARD(false, true, 2048, 768, 288, 0f),
    FFN_DOWN_FORWARD(false, true, 2048, 288, 768, 0f),
    FFN_UP_DX(false, false, 2048, 288, 768, 0f),
    FFN_DOWN_DX(false, false, 2048, 768, 288, 0f),
    FFN_UP_DW(true, false, 768, 288, 2048, 1f),
    FFN_DOWN_DW(true, false, 288, 768, 2048, 1f),
    LOGITS_FORWARD(false, true, 131, 32000, 288, 0f),
    LOGITS_DX(false, false, 131, 288, 32000, 0f),
    LOGITS_DW(true, false, 32000, 288, 131, 1f),
    SMALL_FFN_UP_FORWARD(false, true, 1024, 384, 128, 0f),
    SMALL_FFN_UP_DW(true, false, 384, 128, 1024, 1f),
    SMALL_LOGITS_FORWARD(false, true, 1024, 4096, 128, 0f);

    public final boolean transA;
    public final boolean transB;
    public final int m;
    public final int n;
    public final int k;
    public final float beta;

    GemmShape(boolean transA, boolean transB, int m, int n, int k, float beta) {
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.beta = beta;
    }

    /** 2·m·n·k: one multiply and one add per term. */
    public double flops() {
        return 2.0 * m * n * k;
    }

    /** Leading dimension of A as stored: m when transposed (k×m), else k. */
    public int lda() {
        return transA ? m : k;
    }

    /** Leading dimension of B as stored: k when transposed (n×k), else n. */
    public int ldb() {
        return transB ? k : n;
    }
}
