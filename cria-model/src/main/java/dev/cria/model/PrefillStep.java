package dev.cria.model;

import dev.cria.tensor.Kernels;
import dev.cria.tensor.Matrix;
import dev.cria.tensor.Parallel;

/**
 * A batch of {@code n} consecutive tokens through the model at once: every projection is one matrix-matrix
 * product over the batch, and attention is causal within the batch and over the cache. A layer costs five parallel
 * sections, each over register tiles of weight rows (or over heads) and each doing the cheap work of its columns
 * too: {@code [Wq; Wk; Wv]} as one stacked product; attention; {@code Wo} with the residual add; {@code W1} and
 * {@code W3} with the SwiGLU gate; {@code W2} with the residual add.
 * The keys and values of the whole batch enter the cache before attention, so token {@code t} (at position
 * {@code p0 + t}) attends to positions {@code [0, p0 + t]}.
 *
 * <p>Activations are row-major {@code [n][width]}: {@code X [n][dim]}, {@code Q [n][dim]}, {@code K, V [n][kvDim]},
 * {@code H1, H3 [n][hidden]}. Buffers are sized for {@code state.maxBatch} tokens and allocated on the state's first
 * prefill.
 */
final class PrefillStep {
    /** Rows of logits computed per classifier product when every row's logits are wanted. */
    private static final int LOGIT_ROWS = 32;
    private static final int TILE = Kernels.ROW_TILE;

    private final LlamaConfig config;
    private final LlamaWeights weights;
    private final Parallel parallel;
    private final RotaryEmbedding rope;
    private final SequenceState state;
    private final int dim;
    private final int kvDim;
    private final int hidden;
    private final int headSize;
    private final float[] x;
    private final float[] xb;
    private final float[] q;
    private final float[] k;
    private final float[] v;
    private final float[] o;
    private final float[] h1;
    private final float[] h3;
    private final float[] cos;
    private final float[] sin;
    private final float[] lastRow;
    private float[] logitInput;
    private float[] logitRows;

    // The layer and batch being run, read by the pre-bound parallel bodies below (one dispatch at a time).
    private LlamaWeights.Layer layer;
    private int layerIndex;
    private int n;
    private int p0;

    private final Parallel.RangeBody qkvTiles = this::qkvTiles;
    private final Parallel.RangeBody attentionHeads = this::attentionHeads;
    private final Parallel.RangeBody outputTiles = this::outputTiles;
    private final Parallel.RangeBody gateUpTiles = this::gateUpTiles;
    private final Parallel.RangeBody downTiles = this::downTiles;

    PrefillStep(Transformer owner, SequenceState state) {
        this.config = owner.config();
        this.weights = owner.model().weights();
        this.parallel = owner.parallel();
        this.rope = owner.rope();
        this.state = state;
        this.dim = config.dim();
        this.kvDim = config.kvDim();
        this.hidden = config.hiddenDim();
        this.headSize = config.headSize();
        int b = state.maxBatch;
        this.x = new float[Math.multiplyExact(b, dim)];
        this.xb = new float[b * dim];
        this.q = new float[b * dim];
        this.o = new float[b * dim];
        this.k = new float[Math.multiplyExact(b, kvDim)];
        this.v = new float[b * kvDim];
        this.h1 = new float[Math.multiplyExact(b, hidden)];
        this.h3 = new float[b * hidden];
        this.cos = new float[b * headSize / 2];
        this.sin = new float[b * headSize / 2];
        this.lastRow = new float[dim];
    }

    /**
     * Feeds {@code tokens[offset, offset+n)} ({@code n <= maxBatch}) through every layer and advances the state;
     * the final hidden states stay in {@code x} for {@link #lastLogits} or {@link #everyLogits}.
     */
    void run(int[] tokens, int offset, int n) {
        this.n = n;
        this.p0 = state.position;
        int half = headSize / 2;
        for (int t = 0; t < n; t++) {
            weights.tokenEmbedding().dequantizeRow(tokens[offset + t], x, t * dim);
            rope.angles(p0 + t, cos, sin, t * half);
        }
        for (int l = 0; l < config.layers(); l++) {
            layer = weights.layers().get(l);
            layerIndex = l;
            normRows(layer.attentionNorm(), n);
            parallel.forRange(tiles(dim + 2 * kvDim), qkvTiles);
            for (int t = 0; t < n; t++) {
                rope.rotate(q, t * dim, config.heads(), cos, sin, t * half);
                rope.rotate(k, t * kvDim, config.kvHeads(), cos, sin, t * half);
            }
            System.arraycopy(k, 0, state.keys[l], p0 * kvDim, n * kvDim);
            System.arraycopy(v, 0, state.values[l], p0 * kvDim, n * kvDim);
            parallel.forRange(config.heads(), attentionHeads);
            parallel.forRange(tiles(dim), outputTiles);
            normRows(layer.ffnNorm(), n);
            parallel.forRange(tiles(hidden), gateUpTiles);
            parallel.forRange(tiles(dim), downTiles);
        }
        state.position = p0 + n;
    }

    /** Register tiles covering {@code rows} rows: the unit in which products are split over the threads. */
    private static int tiles(int rows) {
        return (rows + TILE - 1) / TILE;
    }

    /** Tiles {@code [from, to)} of the stacked {@code [Wq; Wk; Wv]}: {@code Q, K, V = Xb Wqᵀ, Xb Wkᵀ, Xb Wvᵀ}. */
    private void qkvTiles(int from, int to) {
        int r0 = from * TILE;
        int r1 = Math.min(dim + 2 * kvDim, to * TILE);
        rowsOf(layer.wq(), q, 0, r0, r1);
        rowsOf(layer.wk(), k, dim, r0, r1);
        rowsOf(layer.wv(), v, dim + kvDim, r0, r1);
    }

    /** The part of the stacked rows {@code [from, to)} that falls in {@code m}, whose first stacked row is {@code base}. */
    private void rowsOf(Matrix m, float[] out, int base, int from, int to) {
        int lo = Math.max(from, base) - base;
        int hi = Math.min(to, base + m.rows()) - base;
        if (lo < hi) {
            m.matmul(xb, n, out, lo, hi);
        }
    }

    /** Columns {@code [r0, r1)} of {@code X += Xb Woᵀ} (the attention block's residual connection). */
    private void outputTiles(int from, int to) {
        int r0 = from * TILE;
        int r1 = Math.min(dim, to * TILE);
        layer.wo().matmul(xb, n, o, r0, r1);
        addRows(r0, r1);
    }

    /** Columns {@code [r0, r1)} of {@code H = silu(Xb W1ᵀ) ⊙ Xb W3ᵀ}, left in {@code h1}. */
    private void gateUpTiles(int from, int to) {
        int r0 = from * TILE;
        int r1 = Math.min(hidden, to * TILE);
        layer.w1().matmul(xb, n, h1, r0, r1);
        layer.w3().matmul(xb, n, h3, r0, r1);
        for (int t = 0; t < n; t++) {
            VectorMath.swiglu(h1, h3, t * hidden + r0, t * hidden + r1);
        }
    }

    /** Columns {@code [r0, r1)} of {@code X += H W2ᵀ} (the feed-forward block's residual connection). */
    private void downTiles(int from, int to) {
        int r0 = from * TILE;
        int r1 = Math.min(dim, to * TILE);
        layer.w2().matmul(h1, n, o, r0, r1);
        addRows(r0, r1);
    }

    /** {@code X[t][c] += O[t][c]} for every token and {@code c} in {@code [c0, c1)}. */
    private void addRows(int c0, int c1) {
        for (int t = 0; t < n; t++) {
            VectorMath.add(x, o, t * dim + c0, t * dim + c1);
        }
    }

    /** The logits after the last of the {@code n} tokens just run, into {@code state.logits}. */
    void lastLogits(int n) {
        VectorMath.rmsNorm(lastRow, 0, x, (n - 1) * dim, weights.finalNorm(), dim, config.rmsNormEps());
        Kernels.matvec(parallel, weights.output(), lastRow, state.logits);
    }

    private void normRows(float[] weight, int n) {
        for (int t = 0; t < n; t++) {
            VectorMath.rmsNorm(xb, t * dim, x, t * dim, weight, dim, config.rmsNormEps());
        }
    }

    /** Attention of query heads {@code [from, to)} for every token of the batch; the result replaces {@code xb}. */
    private void attentionHeads(int from, int to) {
        float[] keys = state.keys[layerIndex];
        float[] values = state.values[layerIndex];
        int group = config.groupSize();
        for (int h = from; h < to; h++) {
            for (int t = 0; t < n; t++) {
                Attention.head(q, t * dim + h * headSize, keys, values, kvDim, (h / group) * headSize, p0 + t + 1, headSize,
                        state.scores, h * state.contextLength, xb, t * dim + h * headSize);
            }
        }
    }

    /** The logits after each of the {@code n} tokens just run, into {@code out[outOffset + t·vocab ...]}. */
    void everyLogits(int n, float[] out, int outOffset) {
        int vocab = config.vocabSize();
        for (int t = 0; t < n; t++) {
            VectorMath.rmsNorm(xb, t * dim, x, t * dim, weights.finalNorm(), dim, config.rmsNormEps());
        }
        if (logitRows == null) {
            int rows = Math.min(LOGIT_ROWS, state.maxBatch);
            logitInput = new float[rows * dim];
            logitRows = new float[Math.multiplyExact(rows, vocab)];
        }
        for (int t0 = 0; t0 < n; t0 += LOGIT_ROWS) {
            int m = Math.min(LOGIT_ROWS, n - t0);
            System.arraycopy(xb, t0 * dim, logitInput, 0, m * dim);
            Kernels.matmul(parallel, weights.output(), logitInput, m, logitRows);
            System.arraycopy(logitRows, 0, out, outOffset + t0 * vocab, m * vocab);
        }
    }
}
