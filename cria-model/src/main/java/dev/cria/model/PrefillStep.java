package dev.cria.model;

import dev.cria.tensor.Kernels;
import dev.cria.tensor.Parallel;

/**
 * A batch of {@code n} consecutive tokens through the model at once: every projection is one matrix-matrix
 * product ({@link Kernels#matmul}) over the batch, and attention is causal within the batch and over the cache.
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
        int p0 = state.position;
        int half = headSize / 2;
        for (int t = 0; t < n; t++) {
            weights.tokenEmbedding().dequantizeRow(tokens[offset + t], x, t * dim);
            rope.angles(p0 + t, cos, sin, t * half);
        }
        for (int l = 0; l < config.layers(); l++) {
            LlamaWeights.Layer layer = weights.layers().get(l);
            normRows(layer.attentionNorm(), n);
            Kernels.matmul(parallel, layer.wq(), xb, n, q);
            Kernels.matmul(parallel, layer.wk(), xb, n, k);
            Kernels.matmul(parallel, layer.wv(), xb, n, v);
            for (int t = 0; t < n; t++) {
                rope.rotate(q, t * dim, config.heads(), cos, sin, t * half);
                rope.rotate(k, t * kvDim, config.kvHeads(), cos, sin, t * half);
            }
            System.arraycopy(k, 0, state.keys[l], p0 * kvDim, n * kvDim);
            System.arraycopy(v, 0, state.values[l], p0 * kvDim, n * kvDim);
            int layerIndex = l;
            parallel.forRange(config.heads(), (from, to) -> attend(layerIndex, p0, n, from, to));
            Kernels.matmul(parallel, layer.wo(), xb, n, o);
            VectorMath.add(x, o, 0, n * dim);
            normRows(layer.ffnNorm(), n);
            Kernels.matmul(parallel, layer.w1(), xb, n, h1);
            Kernels.matmul(parallel, layer.w3(), xb, n, h3);
            parallel.forRange(n, (from, to) -> VectorMath.swiglu(h1, h3, from * hidden, to * hidden));
            Kernels.matmul(parallel, layer.w2(), h1, n, o);
            VectorMath.add(x, o, 0, n * dim);
        }
        state.position = p0 + n;
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
    private void attend(int layer, int p0, int n, int from, int to) {
        float[] keys = state.keys[layer];
        float[] values = state.values[layer];
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
