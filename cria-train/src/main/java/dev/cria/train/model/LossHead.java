package dev.cria.train.model;

import dev.cria.model.LlamaConfig;
import dev.cria.tensor.Parallel;
import dev.cria.train.NonFiniteException;
import dev.cria.train.op.OutputCrossEntropy;
import dev.cria.train.op.RmsNorm;

/**
 * The top of the model: the final RMSNorm, the output projection and the cross-entropy. The loss is the last op, so
 * its forward and backward run back to back: the final norm's output never outlives this call.
 */
final class LossHead {
    private final LlamaConfig config;
    private final Parallel parallel;
    private final int n;
    private final float[] normed;
    private final float[] rstd;
    private final float[] dNormed;
    private final double[] rowLoss;
    private final OutputCrossEntropy crossEntropy;

    LossHead(LlamaConfig config, Parallel parallel, int n) {
        this.config = config;
        this.parallel = parallel;
        this.n = n;
        this.normed = new float[n * config.dim()];
        this.rstd = new float[n];
        this.dNormed = new float[n * config.dim()];
        this.rowLoss = new double[n];
        this.crossEntropy = new OutputCrossEntropy(config.vocabSize(), config.dim(), n);
    }

    /**
     * Summed cross-entropy of the last hidden state {@code x} (N, C). When {@code dx} is not null it is overwritten with
     * dL/dx and the final norm's and output projection's gradients are added into {@code dw}.
     */
    double run(float[] w, float[] dw, ParameterLayout layout, float[] x, int[] targets, float[] dx) {
        int c = config.dim();
        RmsNorm.forward(parallel, normed, rstd, x, w, layout.finalNorm(), n, c, config.rmsNormEps());
        boolean backward = dx != null;
        double loss = crossEntropy.forward(parallel, normed, w, layout.output(), targets, n, rowLoss,
                backward ? dNormed : null, dw, layout.output());
        if (!Double.isFinite(loss)) {
            throw new NonFiniteException("the loss (output projection and cross-entropy): " + loss);
        }
        if (backward) {
            java.util.Arrays.fill(dx, 0, n * c, 0f);
            RmsNorm.backward(parallel, dx, dw, dNormed, x, w, layout.finalNorm(), rstd, n, c);
        }
        return loss;
    }

    /** Bytes of the buffers this head uses for one call (none of them survives it). */
    long workspaceBytes() {
        return 4L * (normed.length + rstd.length + dNormed.length) + 8L * rowLoss.length + crossEntropy.workspaceBytes();
    }
}
