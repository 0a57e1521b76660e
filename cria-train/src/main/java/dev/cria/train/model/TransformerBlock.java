package dev.cria.train.model;

import dev.cria.model.LlamaConfig;
import dev.cria.tensor.Parallel;
import dev.cria.train.NonFiniteException;
import dev.cria.train.op.CausalSelfAttention;
import dev.cria.train.op.Linear;
import dev.cria.train.op.Residual;
import dev.cria.train.op.RmsNorm;
import dev.cria.train.op.RotaryEmbedding;
import dev.cria.train.op.SwiGlu;

/**
 * One LLaMA block, forward and backward, for N = B·T tokens:
 * <pre>
 *   x2 = x  + Attention(x)     Attention(x)   = Wo · attend(rope(Wq·n), rope(Wk·n), Wv·n),  n = RMSNorm(x)
 *   y  = x2 + FeedForward(x2)  FeedForward(u) = Wdown · (silu(Wgate·m) ∘ Wup·m),           m = RMSNorm(u)
 * </pre>
 * Each branch has its own forward and backward so that the reversible variant can couple them differently. A
 * branch's backward reads the gradient of its output and <em>adds</em> the gradient of its input, so a residual's
 * backward is the identity path plus that sum (it may be the same array: the output gradient is read before the
 * input gradient is added).
 */
final class TransformerBlock {
    private final LlamaConfig config;
    private final Parallel parallel;
    private final RotaryEmbedding rope;
    private final int batch;
    private final int seqLen;
    private final int n;

    TransformerBlock(LlamaConfig config, Parallel parallel, RotaryEmbedding rope, int batch, int seqLen) {
        this.config = config;
        this.parallel = parallel;
        this.rope = rope;
        this.batch = batch;
        this.seqLen = seqLen;
        this.n = batch * seqLen;
    }

    /** x → y = x2 + FeedForward(x2), x2 = x + Attention(x); fills {@code a} and the scratch branch. */
    void forward(float[] w, ParameterLayout.Layer layer, BlockActivations a, BlockScratch s, float[] y, int index) {
        attentionForward(w, layer, a, a.x(), s.branch(), index);
        Residual.forward(parallel, a.x2(), a.x(), s.branch(), n * config.dim());
        feedForwardForward(w, layer, a, a.x2(), s.branch(), index);
        Residual.forward(parallel, y, a.x2(), s.branch(), n * config.dim());
    }

    /** dStream holds dL/dy on entry and dL/dx on return. */
    void backward(float[] w, float[] dw, ParameterLayout.Layer layer, BlockActivations a, BlockScratch s, float[] dStream) {
        // y = x2 + FeedForward(x2): dx2 = dy + FeedForward'(x2)ᵀ dy
        feedForwardBackward(w, dw, layer, a, s, a.x2(), dStream, dStream);
        // x2 = x + Attention(x): dx = dx2 + Attention'(x)ᵀ dx2
        attentionBackward(w, dw, layer, a, s, a.x(), dStream, dStream);
    }

    /** out (N, C) = Attention(in); fills the attention half of {@code a}. */
    void attentionForward(float[] w, ParameterLayout.Layer layer, BlockActivations a, float[] in, float[] out, int index) {
        int c = config.dim();
        int kv = config.kvDim();
        RmsNorm.forward(parallel, a.attnNormed(), a.attnRstd(), in, w, layer.attentionNorm(), n, c, config.rmsNormEps());
        Linear.forward(parallel, a.q(), a.attnNormed(), w, layer.wq(), n, c, c);
        Linear.forward(parallel, a.k(), a.attnNormed(), w, layer.wk(), n, c, kv);
        Linear.forward(parallel, a.v(), a.attnNormed(), w, layer.wv(), n, c, kv);
        rotate(a);
        CausalSelfAttention.forward(parallel, a.att(), a.lse(), a.qRot(), a.kRot(), a.v(), batch, seqLen, config.heads(),
                config.kvHeads(), config.headSize());
        Linear.forward(parallel, out, a.att(), w, layer.wo(), n, c, c);
        checkFinite(out, n * c, index, "attention");
    }

    /** Rotary embeddings: qRot = rope(q), kRot = rope(k) (in place when the policy keeps one array). */
    void rotate(BlockActivations a) {
        rope.forward(parallel, a.qRot(), a.q(), batch, config.heads());
        rope.forward(parallel, a.kRot(), a.k(), batch, config.kvHeads());
    }

    /**
     * The selective policy's recomputation, from the kept x, q, k, x2, gate and up: both RMSNorms, the rotary
     * embeddings and the SwiGLU gate; all element-wise or per-row work, O(N·C) against the products' O(N·C²).
     */
    void recomputeCheap(float[] w, ParameterLayout.Layer layer, BlockActivations a) {
        int c = config.dim();
        RmsNorm.forward(parallel, a.attnNormed(), a.attnRstd(), a.x(), w, layer.attentionNorm(), n, c, config.rmsNormEps());
        rotate(a);
        RmsNorm.forward(parallel, a.ffnNormed(), a.ffnRstd(), a.x2(), w, layer.ffnNorm(), n, c, config.rmsNormEps());
        SwiGlu.forward(parallel, a.hidden(), a.gate(), a.up(), n * config.hiddenDim());
    }

    /** dIn (N, C) += Attention'(in)ᵀ dOut; weight gradients added into dw. */
    void attentionBackward(float[] w, float[] dw, ParameterLayout.Layer layer, BlockActivations a, BlockScratch s, float[] in,
                           float[] dOut, float[] dIn) {
        int c = config.dim();
        int kv = config.kvDim();
        Linear.backward(parallel, s.dAtt(), false, dw, dOut, a.att(), w, layer.wo(), n, c, c);
        CausalSelfAttention.backward(parallel, s.dq(), s.dk(), s.dv(), s.dAtt(), a.qRot(), a.kRot(), a.v(), a.att(), a.lse(),
                batch, seqLen, config.heads(), config.kvHeads(), config.headSize());
        rope.backward(parallel, s.dq(), s.dq(), batch, config.heads());
        rope.backward(parallel, s.dk(), s.dk(), batch, config.kvHeads());
        // The three projections read the same normalized input: their input gradients add up.
        Linear.backward(parallel, s.dNormed(), false, dw, s.dq(), a.attnNormed(), w, layer.wq(), n, c, c);
        Linear.backward(parallel, s.dNormed(), true, dw, s.dk(), a.attnNormed(), w, layer.wk(), n, c, kv);
        Linear.backward(parallel, s.dNormed(), true, dw, s.dv(), a.attnNormed(), w, layer.wv(), n, c, kv);
        RmsNorm.backward(parallel, dIn, dw, s.dNormed(), in, w, layer.attentionNorm(), a.attnRstd(), n, c);
    }

    /** out (N, C) = FeedForward(in); fills the feed-forward half of {@code a}. */
    void feedForwardForward(float[] w, ParameterLayout.Layer layer, BlockActivations a, float[] in, float[] out, int index) {
        feedForwardGate(w, layer, a, in);
        Linear.forward(parallel, out, a.hidden(), w, layer.down(), n, config.hiddenDim(), config.dim());
        checkFinite(out, n * config.dim(), index, "feed-forward");
    }

    /** The feed-forward up to its down projection: normalized input, gate, up and hidden. */
    void feedForwardGate(float[] w, ParameterLayout.Layer layer, BlockActivations a, float[] in) {
        int c = config.dim();
        int f = config.hiddenDim();
        RmsNorm.forward(parallel, a.ffnNormed(), a.ffnRstd(), in, w, layer.ffnNorm(), n, c, config.rmsNormEps());
        Linear.forward(parallel, a.gate(), a.ffnNormed(), w, layer.gate(), n, c, f);
        Linear.forward(parallel, a.up(), a.ffnNormed(), w, layer.up(), n, c, f);
        SwiGlu.forward(parallel, a.hidden(), a.gate(), a.up(), n * f);
    }

    /** dIn (N, C) += FeedForward'(in)ᵀ dOut; weight gradients added into dw. */
    void feedForwardBackward(float[] w, float[] dw, ParameterLayout.Layer layer, BlockActivations a, BlockScratch s, float[] in,
                             float[] dOut, float[] dIn) {
        int c = config.dim();
        int f = config.hiddenDim();
        Linear.backward(parallel, s.dHidden(), false, dw, dOut, a.hidden(), w, layer.down(), n, f, c);
        SwiGlu.backward(parallel, s.dGate(), s.dUp(), s.dHidden(), a.gate(), a.up(), n * f);
        Linear.backward(parallel, s.dNormed(), false, dw, s.dGate(), a.ffnNormed(), w, layer.gate(), n, c, f);
        Linear.backward(parallel, s.dNormed(), true, dw, s.dUp(), a.ffnNormed(), w, layer.up(), n, c, f);
        RmsNorm.backward(parallel, dIn, dw, s.dNormed(), in, w, layer.ffnNorm(), a.ffnRstd(), n, c);
    }

    static void checkFinite(float[] x, int count, int layer, String what) {
        int at = firstNonFinite(x, count);
        if (at >= 0) {
            throw new NonFiniteException("layer " + layer + " " + what + " output (value " + x[at] + " at element " + at + ")");
        }
    }

    static int firstNonFinite(float[] x, int count) {
        for (int i = 0; i < count; i++) {
            // x - x is 0 for every finite x, NaN for NaN and for both infinities
            if (x[i] - x[i] != 0f) {
                return i;
            }
        }
        return -1;
    }
}
