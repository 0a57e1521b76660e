package dev.cria.train.model;

/**
 * The activations of one transformer block for N = B·T tokens (C = dim, K = kvDim, F = hidden, H = heads). Which arrays
 * a layer owns and which are one shared scratch array, overwritten by every layer and refilled by recomputation before
 * the layer's backward, is what a {@link CheckpointPolicy} decides.
 *
 * @param x block input (N, C)
 * @param attnNormed RMSNorm(x) (N, C)
 * @param attnRstd its per-row 1/rms (N)
 * @param q query projection (N, C)
 * @param k key projection (N, K)
 * @param v value projection (N, K)
 * @param qRot q with rotary embeddings (N, C); the same array as {@code q} when the policy keeps only one of them
 * @param kRot k with rotary embeddings (N, K); likewise
 * @param att attention output (N, C)
 * @param lse attention's per-row log-sum-exp (B, H, T)
 * @param x2 x + attention branch (N, C)
 * @param ffnNormed RMSNorm(x2) (N, C)
 * @param ffnRstd its per-row 1/rms (N)
 * @param gate gate projection (N, F)
 * @param up up projection (N, F)
 * @param hidden silu(gate) ∘ up (N, F)
 */
record BlockActivations(float[] x, float[] attnNormed, float[] attnRstd, float[] q, float[] k, float[] v, float[] qRot,
                        float[] kRot, float[] att, float[] lse, float[] x2, float[] ffnNormed, float[] ffnRstd,
                        float[] gate, float[] up, float[] hidden) {
}
