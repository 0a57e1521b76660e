package dev.cria.train.model;

/**
 * Buffers one block's forward and backward use and every layer shares: the output of a residual branch, and the
 * gradients of the block's intermediate tensors. Shapes as in {@link BlockActivations}.
 */
record BlockScratch(float[] branch, float[] dq, float[] dk, float[] dv, float[] dAtt, float[] dNormed, float[] dGate,
                    float[] dUp, float[] dHidden) {

    static BlockScratch allocate(int n, int dim, int kvDim, int hidden) {
        return new BlockScratch(new float[n * dim], new float[n * dim], new float[n * kvDim], new float[n * kvDim],
                new float[n * dim], new float[n * dim], new float[n * hidden], new float[n * hidden], new float[n * hidden]);
    }

    long bytes() {
        return 4L * (branch.length + dq.length + dk.length + dv.length + dAtt.length + dNormed.length + dGate.length
                + dUp.length + dHidden.length);
    }
}
