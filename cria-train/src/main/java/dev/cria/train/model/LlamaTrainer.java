package dev.cria.train.model;

import dev.cria.model.LlamaConfig;
import dev.cria.tensor.Parallel;
import dev.cria.train.Parameters;
import dev.cria.train.TrainableModel;
import dev.cria.train.op.Embedding;
import dev.cria.train.op.Residual;
import dev.cria.train.op.RotaryEmbedding;
import java.util.ArrayList;
import java.util.List;

/**
 * The LLaMA model's training pass with a hand-written backward, under the {@link CheckpointPolicy} {@code none},
 * {@code selective} or {@code full}:
 * <pre>
 *   x0 = Embedding(tokens);  x(l+1) = Block_l(x(l));  loss = Σ CrossEntropy(RMSNorm(x(L)) Woutᵀ, targets)
 * </pre>
 * Backward runs the blocks in reverse; before layer {@code l}'s backward the policy refills what it did not keep
 * ({@link #restore}). The three policies compute the same gradients: recomputation repeats the very same float
 * operations, so the results are bit-identical whatever the policy.
 *
 * <p>Threads split each op (rows of a product, heads of attention, columns of a sum over rows) and never a sum's
 * order, so losses and gradients do not depend on the number of threads.
 */
public final class LlamaTrainer implements TrainableModel {
    private final LlamaConfig config;
    private final CheckpointPolicy policy;
    private final Parallel parallel;
    private final ParameterLayout layout;
    private final Parameters parameters;
    private Workspace workspace;

    /** The buffers for one batch shape. */
    private record Workspace(int batch, int seqLen, TransformerBlock block, List<BlockActivations> layers, float[][] xs,
                             BlockScratch scratch, float[] dStream, LossHead head, long storedBytes, long scratchBytes) {
    }

    LlamaTrainer(LlamaConfig config, CheckpointPolicy policy, Parallel parallel, ParameterLayout layout, Parameters parameters) {
        if (policy == CheckpointPolicy.REVERSIBLE) {
            throw new IllegalArgumentException("the reversible policy is its own architecture: use ReversibleLlamaTrainer");
        }
        this.config = config;
        this.policy = policy;
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

    public CheckpointPolicy policy() {
        return policy;
    }

    @Override
    public double forwardBackward(int[] inputs, int[] targets, int batch, int seqLen) {
        Workspace ws = workspace(inputs, targets, batch, seqLen);
        float[] w = parameters.values();
        float[] dw = parameters.grads();
        forward(ws, inputs);
        double loss = ws.head.run(w, dw, layout, ws.xs[config.layers()], targets, ws.dStream);
        for (int l = config.layers() - 1; l >= 0; l--) {
            BlockActivations a = ws.layers.get(l);
            ParameterLayout.Layer layer = layout.layer(l);
            restore(ws, layer, a, l);
            ws.block.backward(w, dw, layer, a, ws.scratch, ws.dStream);
        }
        Embedding.backward(parallel, dw, layout.embedding(), ws.dStream, inputs, batch * seqLen, config.dim());
        return loss;
    }

    @Override
    public double loss(int[] inputs, int[] targets, int batch, int seqLen) {
        Workspace ws = workspace(inputs, targets, batch, seqLen);
        forward(ws, inputs);
        return ws.head.run(parameters.values(), null, layout, ws.xs[config.layers()], targets, null);
    }

    private void forward(Workspace ws, int[] inputs) {
        float[] w = parameters.values();
        int n = ws.batch * ws.seqLen;
        Embedding.forward(parallel, ws.xs[0], inputs, w, layout.embedding(), n, config.dim(), config.vocabSize());
        for (int l = 0; l < config.layers(); l++) {
            ws.block.forward(w, layout.layer(l), ws.layers.get(l), ws.scratch, ws.xs[l + 1], l);
        }
    }

    /** Refills what the policy did not keep of layer {@code index}'s activations, from what it kept. */
    private void restore(Workspace ws, ParameterLayout.Layer layer, BlockActivations a, int index) {
        float[] w = parameters.values();
        switch (policy) {
            case NONE -> {
            }
            case SELECTIVE -> ws.block.recomputeCheap(w, layer, a);
            case FULL -> {
                ws.block.attentionForward(w, layer, a, a.x(), ws.scratch.branch(), index);
                Residual.forward(parallel, a.x2(), a.x(), ws.scratch.branch(), ws.batch * ws.seqLen * config.dim());
                ws.block.feedForwardGate(w, layer, a, a.x2());
            }
            case REVERSIBLE -> throw new IllegalStateException("unreachable");
        }
    }

    @Override
    public long activationBytes() {
        return workspace == null ? 0 : workspace.storedBytes;
    }

    /** Bytes of the buffers shared by all layers: recomputed activations, gradients of one block, the loss head. */
    public long workspaceBytes() {
        return workspace == null ? 0 : workspace.scratchBytes;
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
        workspace = allocate(batch, seqLen);
        return workspace;
    }

    private Workspace allocate(int batch, int seqLen) {
        int n = batch * seqLen;
        int c = config.dim();
        int kv = config.kvDim();
        int f = config.hiddenDim();
        int lse = batch * config.heads() * seqLen;
        // kept: a layer's own arrays, alive from its forward to its backward; once: scratch shared by every layer.
        Counted kept = new Counted();
        Counted once = new Counted();
        boolean none = policy == CheckpointPolicy.NONE;
        boolean full = policy == CheckpointPolicy.FULL;
        float[] sNormedA = none ? null : once.floats(n * c);
        float[] sRstdA = none ? null : once.floats(n);
        float[] sQ = full ? once.floats(n * c) : null;
        float[] sK = full ? once.floats(n * kv) : null;
        float[] sV = full ? once.floats(n * kv) : null;
        float[] sQRot = policy == CheckpointPolicy.SELECTIVE ? once.floats(n * c) : sQ;
        float[] sKRot = policy == CheckpointPolicy.SELECTIVE ? once.floats(n * kv) : sK;
        float[] sAtt = full ? once.floats(n * c) : null;
        float[] sLse = full ? once.floats(lse) : null;
        float[] sX2 = full ? once.floats(n * c) : null;
        float[] sNormedF = none ? null : once.floats(n * c);
        float[] sRstdF = none ? null : once.floats(n);
        float[] sGate = full ? once.floats(n * f) : null;
        float[] sUp = full ? once.floats(n * f) : null;
        float[] sHidden = none ? null : once.floats(n * f);

        float[][] xs = new float[config.layers() + 1][];
        List<BlockActivations> layers = new ArrayList<>();
        for (int l = 0; l <= config.layers(); l++) {
            xs[l] = kept.floats(n * c);
        }
        for (int l = 0; l < config.layers(); l++) {
            BlockActivations a = switch (policy) {
                case NONE -> {
                    float[] q = kept.floats(n * c);
                    float[] k = kept.floats(n * kv);
                    yield new BlockActivations(xs[l], kept.floats(n * c), kept.floats(n), q, k, kept.floats(n * kv), q, k,
                            kept.floats(n * c), kept.floats(lse), kept.floats(n * c), kept.floats(n * c), kept.floats(n),
                            kept.floats(n * f), kept.floats(n * f), kept.floats(n * f));
                }
                case SELECTIVE -> new BlockActivations(xs[l], sNormedA, sRstdA, kept.floats(n * c), kept.floats(n * kv),
                        kept.floats(n * kv), sQRot, sKRot, kept.floats(n * c), kept.floats(lse), kept.floats(n * c), sNormedF,
                        sRstdF, kept.floats(n * f), kept.floats(n * f), sHidden);
                case FULL -> new BlockActivations(xs[l], sNormedA, sRstdA, sQ, sK, sV, sQRot, sKRot, sAtt, sLse, sX2,
                        sNormedF, sRstdF, sGate, sUp, sHidden);
                case REVERSIBLE -> throw new IllegalStateException("unreachable");
            };
            layers.add(a);
        }
        BlockScratch scratch = BlockScratch.allocate(n, c, kv, f);
        float[] dStream = new float[n * c];
        LossHead head = new LossHead(config, parallel, n);
        RotaryEmbedding rope = new RotaryEmbedding(config, seqLen);
        TransformerBlock block = new TransformerBlock(config, parallel, rope, batch, seqLen);
        long scratchBytes = once.bytes + scratch.bytes() + 4L * dStream.length + head.workspaceBytes();
        return new Workspace(batch, seqLen, block, layers, xs, scratch, dStream, head, kept.bytes, scratchBytes);
    }

    /** Allocates float arrays and counts their bytes. */
    private static final class Counted {
        long bytes;

        float[] floats(int length) {
            bytes += 4L * length;
            return new float[length];
        }
    }
}
