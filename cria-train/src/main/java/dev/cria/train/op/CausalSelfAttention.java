package dev.cria.train.op;

import dev.cria.tensor.Parallel;
import java.util.Arrays;

/**
 * Causal multi-head attention with grouped key/value heads, memory-efficient as in LLaMA §2.3 (Rabe and Staats 2021,
 * FlashAttention): scores are computed tile by tile with an online softmax, the (T, T) score and probability
 * matrices are never stored, tiles entirely above the causal diagonal are skipped, and the only saved statistic is
 * the log-sum-exp {@code lse_i = log Σ_{j≤i} exp(s_ij)} of every query row.
 *
 * <p>Per head, with {@code s_ij = q_i·k_j / √d} for {@code j ≤ i}, {@code p_ij = exp(s_ij - lse_i)} and
 * {@code o_i = Σ_j p_ij v_j}. Query head {@code h} reads key/value head {@code h / (H / H_kv)}.
 *
 * <p>Backward (recomputing {@code s} and {@code p} per tile from q, k and {@code lse}):
 * <pre>
 *   dv_j += Σ_i p_ij do_i                      (o = P V)
 *   dp_ij = do_i · v_j
 *   ds_ij = p_ij (dp_ij - D_i),  D_i = Σ_j p_ij dp_ij = do_i · o_i     (softmax Jacobian)
 *   dq_i += Σ_j ds_ij k_j / √d,  dk_j += Σ_i ds_ij q_i / √d
 * </pre>
 * The keys and values of a group receive gradient from every query head of the group; the backward gives one task
 * a whole (sequence, key/value head) pair so that those sums run in a fixed order on one thread.
 *
 * <p>Each task first copies its keys (and in the backward its values) into a transposed (d, T) scratch, so that a
 * query row's scores against a tile of keys are computed with the keys in vector lanes.
 */
public final class CausalSelfAttention {
    /** Rows of queries and of keys per tile. */
    static final int TILE = 32;

    private CausalSelfAttention() {
    }

    /**
     * q is (B, T, H·d), k and v are (B, T, Hkv·d), out is (B, T, H·d), lse is (B, H, T). Rotary embeddings are
     * already applied to q and k.
     */
    public static void forward(Parallel parallel, float[] out, float[] lse, float[] q, float[] k, float[] v,
                               int batch, int seqLen, int heads, int kvHeads, int headSize) {
        int qDim = heads * headSize;
        int kvDim = kvHeads * headSize;
        int group = heads / kvHeads;
        float scale = (float) (1.0 / Math.sqrt(headSize));
        parallel.forRange(batch * heads, (from, to) -> {
            float[] s = new float[TILE];
            float[] kt = new float[headSize * seqLen];
            for (int task = from; task < to; task++) {
                int b = task / heads;
                int h = task % heads;
                int kvOff = b * seqLen * kvDim + (h / group) * headSize;
                int lseOff = (b * heads + h) * seqLen;
                transpose(k, kvOff, kvDim, seqLen, headSize, kt);
                for (int i0 = 0; i0 < seqLen; i0 += TILE) {
                    int i1 = Math.min(i0 + TILE, seqLen);
                    for (int i = i0; i < i1; i++) {
                        int qi = (b * seqLen + i) * qDim + h * headSize;
                        Arrays.fill(out, qi, qi + headSize, 0f);
                        float m = Float.NEGATIVE_INFINITY;
                        float l = 0f;
                        // Key tiles up to the one holding the diagonal; the tiles above it are never visited.
                        for (int j0 = 0; j0 <= i; j0 += TILE) {
                            int count = Math.min(TILE, i + 1 - j0);
                            FloatOps.rowTimesColumns(q, qi, headSize, kt, j0, seqLen, count, s);
                            float tileMax = Float.NEGATIVE_INFINITY;
                            for (int j = 0; j < count; j++) {
                                s[j] *= scale;
                                tileMax = Math.max(tileMax, s[j]);
                            }
                            float mNew = Math.max(m, tileMax);
                            // Online softmax: earlier terms were scaled by exp(-m); rescale them to exp(-mNew).
                            float correction = (float) Math.exp(m - mNew);
                            l *= correction;
                            FloatOps.scale(out, qi, headSize, correction);
                            FloatOps.exp(s, 0, count, 1f, mNew);
                            for (int j = 0; j < count; j++) {
                                l += s[j];
                                FloatOps.axpy(s[j], v, kvOff + (j0 + j) * kvDim, out, qi, headSize);
                            }
                            m = mNew;
                        }
                        FloatOps.scale(out, qi, headSize, 1f / l);
                        lse[lseOff + i] = m + (float) Math.log(l);
                    }
                }
            }
        });
    }

    /**
     * dout is (B, T, H·d); dq (B, T, H·d), dk and dv (B, T, Hkv·d) are overwritten. q, k, v, out and lse are the
     * forward's.
     */
    public static void backward(Parallel parallel, float[] dq, float[] dk, float[] dv, float[] dout, float[] q, float[] k,
                                float[] v, float[] out, float[] lse, int batch, int seqLen, int heads, int kvHeads, int headSize) {
        int qDim = heads * headSize;
        int kvDim = kvHeads * headSize;
        int group = heads / kvHeads;
        float scale = (float) (1.0 / Math.sqrt(headSize));
        parallel.forRange(batch * kvHeads, (from, to) -> {
            float[] p = new float[TILE];
            float[] dp = new float[TILE];
            float[] kt = new float[headSize * seqLen];
            float[] vt = new float[headSize * seqLen];
            for (int task = from; task < to; task++) {
                int b = task / kvHeads;
                int g = task % kvHeads;
                int kvOff = b * seqLen * kvDim + g * headSize;
                transpose(k, kvOff, kvDim, seqLen, headSize, kt);
                transpose(v, kvOff, kvDim, seqLen, headSize, vt);
                for (int j = 0; j < seqLen; j++) {
                    Arrays.fill(dk, kvOff + j * kvDim, kvOff + j * kvDim + headSize, 0f);
                    Arrays.fill(dv, kvOff + j * kvDim, kvOff + j * kvDim + headSize, 0f);
                }
                for (int h = g * group; h < (g + 1) * group; h++) {
                    int lseOff = (b * heads + h) * seqLen;
                    for (int i0 = 0; i0 < seqLen; i0 += TILE) {
                        int i1 = Math.min(i0 + TILE, seqLen);
                        for (int i = i0; i < i1; i++) {
                            int qi = (b * seqLen + i) * qDim + h * headSize;
                            Arrays.fill(dq, qi, qi + headSize, 0f);
                            float dRow = FloatOps.dot(dout, qi, out, qi, headSize);
                            float li = lse[lseOff + i];
                            // Key tiles j0 ≤ i: the rest of the row lies above the diagonal.
                            for (int j0 = 0; j0 <= i; j0 += TILE) {
                                int count = Math.min(TILE, i + 1 - j0);
                                FloatOps.rowTimesColumns(q, qi, headSize, kt, j0, seqLen, count, p);
                                FloatOps.rowTimesColumns(dout, qi, headSize, vt, j0, seqLen, count, dp);
                                // p = exp(s·scale - lse): the forward's probabilities, recomputed
                                FloatOps.exp(p, 0, count, scale, li);
                                for (int j = 0; j < count; j++) {
                                    int kj = kvOff + (j0 + j) * kvDim;
                                    float pj = p[j];
                                    FloatOps.axpy(pj, dout, qi, dv, kj, headSize);
                                    float ds = pj * (dp[j] - dRow) * scale;
                                    FloatOps.axpy(ds, k, kj, dq, qi, headSize);
                                    FloatOps.axpy(ds, q, qi, dk, kj, headSize);
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /** t (d, T) = the d columns of head rows x[off + j·ld .. + d) for j < T. */
    private static void transpose(float[] x, int off, int ld, int seqLen, int d, float[] t) {
        for (int j = 0; j < seqLen; j++) {
            for (int e = 0; e < d; e++) {
                t[e * seqLen + j] = x[off + j * ld + e];
            }
        }
    }
}
