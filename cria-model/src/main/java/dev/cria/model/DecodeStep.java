package dev.cria.model;

import dev.cria.tensor.Matrix;
import dev.cria.tensor.Parallel;

/**
 * One token through the model (matrix-vector products), with the buffers of one {@link SequenceState}. Every
 * parallel section is a pre-bound {@link Parallel.RangeBody} over rows that also does the cheap work of those rows
 * (residual add, SwiGLU gate), so a layer costs five dispatches and decoding allocates nothing:
 *
 * <pre>
 *   xb = RMSNorm(x)                    q,k,v = Wq xb, Wk xb, Wv xb     (one dispatch over dim + 2·kvDim rows)
 *   q,k = RoPE(q,k, pos)               cache[pos] = k, v
 *   xb = Attention(q, cache)           (one dispatch over heads)
 *   x += Wo xb                          (one dispatch over dim rows)
 *   xb = RMSNorm(x)                    hb = silu(W1 xb) ⊙ W3 xb        (one dispatch over hidden rows)
 *   x += W2 hb                          (one dispatch over dim rows)
 *   logits = Wout RMSNorm(x)            (one dispatch over vocab rows)
 * </pre>
 */
final class DecodeStep {
    private final LlamaConfig config;
    private final LlamaWeights weights;
    private final Parallel parallel;
    private final RotaryEmbedding rope;
    private final SequenceState state;
    private final int dim;
    private final int kvDim;
    private final int headSize;
    private final int group;
    private final float eps;
    private final float[] x;
    private final float[] xb;
    private final float[] xb2;
    private final float[] q;
    private final float[] k;
    private final float[] v;
    private final float[] hb;
    private final float[] hb2;
    private final float[] cos;
    private final float[] sin;

    private LlamaWeights.Layer layer;
    private int layerIndex;
    private int pos;

    private final Parallel.RangeBody qkvRows = this::qkvRows;
    private final Parallel.RangeBody attentionHeads = this::attentionHeads;
    private final Parallel.RangeBody outputRows = this::outputRows;
    private final Parallel.RangeBody gateUpRows = this::gateUpRows;
    private final Parallel.RangeBody downRows = this::downRows;
    private final Parallel.RangeBody classifierRows = this::classifierRows;

    DecodeStep(Transformer owner, SequenceState state) {
        this.config = owner.config();
        this.weights = owner.model().weights();
        this.parallel = owner.parallel();
        this.rope = owner.rope();
        this.state = state;
        this.dim = config.dim();
        this.kvDim = config.kvDim();
        this.headSize = config.headSize();
        this.group = config.groupSize();
        this.eps = config.rmsNormEps();
        this.x = new float[dim];
        this.xb = new float[dim];
        this.xb2 = new float[dim];
        this.q = new float[dim];
        this.k = new float[kvDim];
        this.v = new float[kvDim];
        this.hb = new float[config.hiddenDim()];
        this.hb2 = new float[config.hiddenDim()];
        this.cos = new float[headSize / 2];
        this.sin = new float[headSize / 2];
    }

    /** Feeds {@code token} at the state's position, advances it, and leaves the next token's logits in {@code state.logits}. */
    void run(int token) {
        pos = state.position;
        weights.tokenEmbedding().dequantizeRow(token, x, 0);
        rope.angles(pos, cos, sin, 0);
        for (int l = 0; l < config.layers(); l++) {
            layer = weights.layers().get(l);
            layerIndex = l;
            VectorMath.rmsNorm(xb, 0, x, 0, layer.attentionNorm(), dim, eps);
            parallel.forRange(dim + 2 * kvDim, qkvRows);
            rope.rotate(q, 0, config.heads(), cos, sin, 0);
            rope.rotate(k, 0, config.kvHeads(), cos, sin, 0);
            System.arraycopy(k, 0, state.keys[l], pos * kvDim, kvDim);
            System.arraycopy(v, 0, state.values[l], pos * kvDim, kvDim);
            parallel.forRange(config.heads(), attentionHeads);
            parallel.forRange(dim, outputRows);
            VectorMath.rmsNorm(xb, 0, x, 0, layer.ffnNorm(), dim, eps);
            parallel.forRange(config.hiddenDim(), gateUpRows);
            parallel.forRange(dim, downRows);
        }
        VectorMath.rmsNorm(xb, 0, x, 0, weights.finalNorm(), dim, eps);
        parallel.forRange(config.vocabSize(), classifierRows);
        state.position = pos + 1;
    }

    /** Rows {@code [from, to)} of the stacked {@code [Wq; Wk; Wv]}. */
    private void qkvRows(int from, int to) {
        rowsOf(layer.wq(), xb, q, 0, from, to);
        rowsOf(layer.wk(), xb, k, dim, from, to);
        rowsOf(layer.wv(), xb, v, dim + kvDim, from, to);
    }

    /** The part of the stacked rows {@code [from, to)} that falls in the matrix whose first stacked row is {@code base}. */
    private static void rowsOf(Matrix m, float[] in, float[] out, int base, int from, int to) {
        int lo = Math.max(from, base) - base;
        int hi = Math.min(to, base + m.rows()) - base;
        if (lo < hi) {
            m.matvec(in, out, lo, hi);
        }
    }

    private void attentionHeads(int from, int to) {
        float[] keys = state.keys[layerIndex];
        float[] values = state.values[layerIndex];
        for (int h = from; h < to; h++) {
            Attention.head(q, h * headSize, keys, values, kvDim, (h / group) * headSize, pos + 1, headSize,
                    state.scores, h * state.contextLength, xb, h * headSize);
        }
    }

    private void outputRows(int from, int to) {
        layer.wo().matvec(xb, xb2, from, to);
        VectorMath.add(x, xb2, from, to);
    }

    private void gateUpRows(int from, int to) {
        layer.w1().matvec(xb, hb, from, to);
        layer.w3().matvec(xb, hb2, from, to);
        VectorMath.swiglu(hb, hb2, from, to);
    }

    private void downRows(int from, int to) {
        layer.w2().matvec(hb, xb2, from, to);
        VectorMath.add(x, xb2, from, to);
    }

    private void classifierRows(int from, int to) {
        weights.output().matvec(xb, state.logits, from, to);
    }
}
