package dev.cria.train.model;

import dev.cria.model.LlamaConfig;
import dev.cria.tensor.Parallel;
import dev.cria.train.Parameters;
import dev.cria.train.TrainableModel;
import dev.cria.train.op.Embedding;
import dev.cria.train.op.Residual;
import dev.cria.train.op.RotaryEmbedding;

/**
 * A LLaMA variant with reversible residual coupling (Gomez et al. 2017, RevNet; Reformer; xformers' reversible
 * layers), the {@code reversible} policy. How the channels are split: as in Reformer and xformers, the residual stream
 * is widened to two streams of {@code dim} channels each, both starting as the token embedding ({@code x1 = x2 = e});
 * a block couples them as
 * <pre>
 *   y1 = x1 + F(x2)      F = the attention branch  (RMSNorm, q/k/v, rotary, attention, o)
 *   y2 = x2 + G(y1)      G = the feed-forward branch (RMSNorm, gate/up, SwiGLU, down)
 * </pre>
 * and the head reads the mean of the two streams, {@code (y1 + y2) / 2}. Every weight has the shape and the Hugging
 * Face name of the standard model's, but the function differs, so these checkpoints are Cria's own (no GGUF export).
 *
 * <p>The backward rebuilds each block's inputs from its outputs, {@code x2 = y2 - G(y1)} then {@code x1 = y1 - F(x2)},
 * recomputing each branch once to get both the input and the branch's activations. Only the two streams after the last
 * block are kept: activation memory does not grow with depth. Subtracting a recomputed branch gives back the input up
 * to float rounding (about one ulp of the stream per block), not bit for bit.
 */
public final class ReversibleLlamaTrainer implements TrainableModel {
    private final LlamaConfig config;
    private final Parallel parallel;
    private final ParameterLayout layout;
    private final Parameters parameters;
    private Workspace workspace;

    private record Workspace(int batch, int seqLen, TransformerBlock block, BlockActivations a, BlockScratch scratch,
                             float[] x1, float[] x2, float[] merged, float[] dy1, float[] dy2, LossHead head) {
    }

    ReversibleLlamaTrainer(LlamaConfig config, Parallel parallel, ParameterLayout layout, Parameters parameters) {
        this.config = config;
        this.parallel = parallel;
        this.layout = layout;
        this.parameters = parameters;
    }

    @Override
    public LlamaConfig config() {
        return config;
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    @Override
    public double forwardBackward(int[] inputs, int[] targets, int batch, int seqLen) {
        Workspace ws = workspace(inputs, targets, batch, seqLen);
        float[] w = parameters.values();
        float[] dw = parameters.grads();
        int count = batch * seqLen * config.dim();
        forward(ws, inputs);
        double loss = ws.head.run(w, dw, layout, ws.merged, targets, ws.dy1);
        // merged = (y1 + y2) / 2: each stream receives half the gradient.
        parallel.forRange(count, (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = 0.5f * ws.dy1[i];
                ws.dy1[i] = g;
                ws.dy2[i] = g;
            }
        });
        for (int l = config.layers() - 1; l >= 0; l--) {
            ParameterLayout.Layer layer = layout.layer(l);
            // y2 = x2 + G(y1): rebuild x2, then dy1 += G'(y1)ᵀ dy2 (and dx2 = dy2)
            ws.block.feedForwardForward(w, layer, ws.a, ws.x1, ws.scratch.branch(), l);
            Residual.subtract(parallel, ws.x2, ws.scratch.branch(), count);
            ws.block.feedForwardBackward(w, dw, layer, ws.a, ws.scratch, ws.x1, ws.dy2, ws.dy1);
            // y1 = x1 + F(x2): rebuild x1, then dx2 = dy2 + F'(x2)ᵀ dy1 (and dx1 = dy1)
            ws.block.attentionForward(w, layer, ws.a, ws.x2, ws.scratch.branch(), l);
            Residual.subtract(parallel, ws.x1, ws.scratch.branch(), count);
            ws.block.attentionBackward(w, dw, layer, ws.a, ws.scratch, ws.x2, ws.dy1, ws.dy2);
        }
        // x1 = x2 = e: the embedding receives both streams' gradients.
        Residual.backward(parallel, ws.dy1, ws.dy2, count);
        Embedding.backward(parallel, dw, layout.embedding(), ws.dy1, inputs, batch * seqLen, config.dim());
        return loss;
    }

    @Override
    public double loss(int[] inputs, int[] targets, int batch, int seqLen) {
        Workspace ws = workspace(inputs, targets, batch, seqLen);
        forward(ws, inputs);
        return ws.head.run(parameters.values(), null, layout, ws.merged, targets, null);
    }

    private void forward(Workspace ws, int[] inputs) {
        float[] w = parameters.values();
        int n = ws.batch * ws.seqLen;
        int count = n * config.dim();
        Embedding.forward(parallel, ws.x1, inputs, w, layout.embedding(), n, config.dim(), config.vocabSize());
        System.arraycopy(ws.x1, 0, ws.x2, 0, count);
        for (int l = 0; l < config.layers(); l++) {
            ParameterLayout.Layer layer = layout.layer(l);
            ws.block.attentionForward(w, layer, ws.a, ws.x2, ws.scratch.branch(), l);
            Residual.forward(parallel, ws.x1, ws.x1, ws.scratch.branch(), count);
            ws.block.feedForwardForward(w, layer, ws.a, ws.x1, ws.scratch.branch(), l);
            Residual.forward(parallel, ws.x2, ws.x2, ws.scratch.branch(), count);
        }
        parallel.forRange(count, (from, to) -> {
            for (int i = from; i < to; i++) {
                ws.merged[i] = 0.5f * (ws.x1[i] + ws.x2[i]);
            }
        });
    }

    /** The two streams after the last block, the only activations kept for the backward: 2·N·C floats. */
    @Override
    public long activationBytes() {
        return workspace == null ? 0 : 4L * (workspace.x1.length + workspace.x2.length);
    }

    /** Bytes of the one block's recomputed activations, its gradients, the stream gradients and the loss head. */
    public long workspaceBytes() {
        if (workspace == null) {
            return 0;
        }
        Workspace ws = workspace;
        BlockActivations a = ws.a;
        long act = a.attnNormed().length + a.attnRstd().length + a.q().length + a.k().length + a.v().length + a.att().length
                + a.lse().length + a.ffnNormed().length + a.ffnRstd().length + a.gate().length + a.up().length + a.hidden().length;
        return 4L * (act + ws.merged.length + ws.dy1.length + ws.dy2.length) + ws.scratch.bytes() + ws.head.workspaceBytes();
    }

    @Override
    public void close() {
        workspace = null;
    }

    private Workspace workspace(int[] inputs, int[] targets, int batch, int seqLen) {
        if (batch <= 0 || seqLen <= 0) {
            throw new IllegalArgumentException("batch and seqLen must be positive, got " + batch + " and " + seqLen);
        }
        if (inputs.length < batch * seqLen || targets.length < batch * seqLen) {
            throw new IllegalArgumentException("need " + batch + " x " + seqLen + " inputs and targets, got "
                    + inputs.length + " and " + targets.length);
        }
        if (workspace != null && workspace.batch == batch && workspace.seqLen == seqLen) {
            return workspace;
        }
        workspace = null;
        int n = batch * seqLen;
        int c = config.dim();
        int kv = config.kvDim();
        int f = config.hiddenDim();
        float[] x1 = new float[n * c];
        float[] x2 = new float[n * c];
        float[] q = new float[n * c];
        float[] k = new float[n * kv];
        // One block's activations, refilled by every recomputation; the attention branch reads x2, the feed-forward y1.
        BlockActivations a = new BlockActivations(x2, new float[n * c], new float[n], q, k, new float[n * kv], q, k,
                new float[n * c], new float[batch * config.heads() * seqLen], x1, new float[n * c], new float[n],
                new float[n * f], new float[n * f], new float[n * f]);
        RotaryEmbedding rope = new RotaryEmbedding(config, seqLen);
        workspace = new Workspace(batch, seqLen, new TransformerBlock(config, parallel, rope, batch, seqLen), a,
                BlockScratch.allocate(n, c, kv, f), x1, x2, new float[n * c], new float[n * c], new float[n * c],
                new LossHead(config, parallel, n));
        return workspace;
    }
}
