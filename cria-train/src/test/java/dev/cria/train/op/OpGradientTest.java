package dev.cria.train.op;

import static dev.cria.train.op.GradientCheck.assertGradient;
import static dev.cria.train.op.GradientCheck.assertValues;
import static dev.cria.train.op.GradientCheck.dot;
import static dev.cria.train.op.GradientCheck.numeric;
import static dev.cria.train.op.GradientCheck.randomFloats;
import static dev.cria.train.op.GradientCheck.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cria.model.LlamaConfig;
import dev.cria.tensor.Parallel;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every op's float backward against finite differences of an independent double-precision forward. */
class OpGradientTest {
    private static Parallel parallel;

    @BeforeAll
    static void start() {
        parallel = new Parallel(2);
    }

    @AfterAll
    static void stop() {
        parallel.close();
    }

    // ---- references in double precision ----

    /** y (n, out) = x (n, in) Wᵀ. */
    static double[] linear(double[] x, double[] w, int n, int in, int out) {
        double[] y = new double[n * out];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                double s = 0;
                for (int i = 0; i < in; i++) {
                    s += x[r * in + i] * w[o * in + i];
                }
                y[r * out + o] = s;
            }
        }
        return y;
    }

    static double[] rmsNorm(double[] x, double[] w, int n, int c, double eps) {
        double[] y = new double[n * c];
        for (int r = 0; r < n; r++) {
            double ms = 0;
            for (int j = 0; j < c; j++) {
                ms += x[r * c + j] * x[r * c + j];
            }
            double inv = 1 / Math.sqrt(ms / c + eps);
            for (int j = 0; j < c; j++) {
                y[r * c + j] = x[r * c + j] * inv * w[j];
            }
        }
        return y;
    }

    /** Hugging Face's rotate_half: frequency i turns (x_i, x_{i+d/2}) by pos·θ^(-2i/d). */
    static double[] rope(double[] x, int batch, int seqLen, int heads, int headSize, double theta) {
        double[] y = new double[x.length];
        int half = headSize / 2;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seqLen; t++) {
                for (int h = 0; h < heads; h++) {
                    int base = ((b * seqLen + t) * heads + h) * headSize;
                    for (int i = 0; i < half; i++) {
                        double angle = t * Math.pow(theta, -2.0 * i / headSize);
                        double c = Math.cos(angle);
                        double s = Math.sin(angle);
                        y[base + i] = x[base + i] * c - x[base + half + i] * s;
                        y[base + half + i] = x[base + half + i] * c + x[base + i] * s;
                    }
                }
            }
        }
        return y;
    }

    /** Naive causal attention with a full (T, T) softmax; also fills lse (B, H, T) when not null. */
    static double[] attention(double[] q, double[] k, double[] v, int batch, int seqLen, int heads, int kvHeads, int hs, double[] lse) {
        double[] out = new double[batch * seqLen * heads * hs];
        int group = heads / kvHeads;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int g = h / group;
                for (int i = 0; i < seqLen; i++) {
                    double[] s = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        double d = 0;
                        for (int e = 0; e < hs; e++) {
                            d += q[((b * seqLen + i) * heads + h) * hs + e] * k[((b * seqLen + j) * kvHeads + g) * hs + e];
                        }
                        s[j] = d / Math.sqrt(hs);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= i; j++) {
                        sum += Math.exp(s[j] - max);
                    }
                    if (lse != null) {
                        lse[(b * heads + h) * seqLen + i] = max + Math.log(sum);
                    }
                    for (int j = 0; j <= i; j++) {
                        double p = Math.exp(s[j] - max) / sum;
                        for (int e = 0; e < hs; e++) {
                            out[((b * seqLen + i) * heads + h) * hs + e] += p * v[((b * seqLen + j) * kvHeads + g) * hs + e];
                        }
                    }
                }
            }
        }
        return out;
    }

    static double crossEntropy(double[] x, double[] w, int[] targets, int n, int c, int vocab) {
        double[] z = linear(x, w, n, c, vocab);
        double loss = 0;
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < vocab; j++) {
                max = Math.max(max, z[r * vocab + j]);
            }
            double sum = 0;
            for (int j = 0; j < vocab; j++) {
                sum += Math.exp(z[r * vocab + j] - max);
            }
            loss += max + Math.log(sum) - z[r * vocab + targets[r]];
        }
        return loss;
    }

    // ---- checks ----

    @Test
    void linearGivesBothGradients() {
        Random random = new Random(1);
        int n = 5, in = 7, out = 3;
        float[] x = randomFloats(random, n * in, 1);
        float[] w = randomFloats(random, out * in, 1);
        float[] g = randomFloats(random, n * out, 1);
        double[] gd = toDouble(g);
        float[] y = new float[n * out];
        Linear.forward(parallel, y, x, w, 0, n, in, out);
        assertValues("y", linear(toDouble(x), toDouble(w), n, in, out), y, 1e-5);
        float[] dx = new float[n * in];
        float[] dw = new float[out * in];
        Linear.backward(parallel, dx, false, dw, g, x, w, 0, n, in, out);
        double[] wd = toDouble(w);
        double[] xd = toDouble(x);
        assertGradient("dx", numeric(p -> dot(gd, linear(p, wd, n, in, out)), toDouble(x)), dx, 0);
        assertGradient("dW", numeric(p -> dot(gd, linear(xd, p, n, in, out)), toDouble(w)), dw, 0);
    }

    @Test
    void linearBackwardAddsWeightGradientAndOptionallyInputGradient() {
        Random random = new Random(2);
        int n = 3, in = 4, out = 2;
        float[] x = randomFloats(random, n * in, 1);
        float[] w = randomFloats(random, out * in, 1);
        float[] g = randomFloats(random, n * out, 1);
        float[] dx1 = new float[n * in];
        float[] dw1 = new float[out * in];
        Linear.backward(parallel, dx1, false, dw1, g, x, w, 0, n, in, out);
        float[] dx2 = dx1.clone();
        float[] dw2 = dw1.clone();
        Linear.backward(parallel, dx2, true, dw2, g, x, w, 0, n, in, out);
        for (int i = 0; i < dx1.length; i++) {
            assertEquals(2 * dx1[i], dx2[i], 1e-6);
        }
        for (int i = 0; i < dw1.length; i++) {
            assertEquals(2 * dw1[i], dw2[i], 1e-6);
        }
    }

    @Test
    void rmsNormGivesInputAndGainGradients() {
        Random random = new Random(3);
        int n = 4, c = 8;
        float eps = 1e-5f;
        float[] x = randomFloats(random, n * c, 1);
        float[] w = randomFloats(random, c, 1);
        float[] g = randomFloats(random, n * c, 1);
        double[] gd = toDouble(g);
        float[] y = new float[n * c];
        float[] rstd = new float[n];
        RmsNorm.forward(parallel, y, rstd, x, w, 0, n, c, eps);
        assertValues("y", rmsNorm(toDouble(x), toDouble(w), n, c, eps), y, 1e-5);
        float[] dx = new float[n * c];
        float[] dw = new float[c];
        RmsNorm.backward(parallel, dx, dw, g, x, w, 0, rstd, n, c);
        double[] wd = toDouble(w);
        double[] xd = toDouble(x);
        assertGradient("dx", numeric(p -> dot(gd, rmsNorm(p, wd, n, c, eps)), toDouble(x)), dx, 0);
        assertGradient("dw", numeric(p -> dot(gd, rmsNorm(xd, p, n, c, eps)), toDouble(w)), dw, 0);
    }

    @Test
    void embeddingScattersGradientsOfRepeatedTokens() {
        Random random = new Random(4);
        int vocab = 6, c = 5;
        int[] tokens = {2, 0, 2, 5, 2, 1};
        int n = tokens.length;
        float[] table = randomFloats(random, vocab * c, 1);
        float[] g = randomFloats(random, n * c, 1);
        double[] gd = toDouble(g);
        float[] out = new float[n * c];
        Embedding.forward(parallel, out, tokens, table, 0, n, c, vocab);
        float[] dTable = new float[vocab * c];
        Embedding.backward(parallel, dTable, 0, g, tokens, n, c);
        double[] expected = numeric(p -> {
            double s = 0;
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < c; j++) {
                    s += gd[r * c + j] * p[tokens[r] * c + j];
                }
            }
            return s;
        }, toDouble(table));
        assertGradient("dTable", expected, dTable, 0);
        assertValues("out", toDouble(java.util.Arrays.copyOfRange(table, 2 * c, 3 * c)), java.util.Arrays.copyOfRange(out, 0, c), 0);
    }

    @Test
    void embeddingRejectsTokenOutsideTheVocabulary() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Embedding.forward(parallel, new float[4], new int[] {1, 7}, new float[12], 0, 2, 2, 6));
        assertEquals("token id 7 at position 1 is outside the vocabulary [0, 6)", e.getMessage());
    }

    @Test
    void rotaryEmbeddingMatchesRotateHalfAndItsBackwardIsTheInverseRotation() {
        Random random = new Random(5);
        int batch = 2, seqLen = 6, heads = 3, hs = 8;
        LlamaConfig config = new LlamaConfig(heads * hs, 8, 1, heads, heads, 10, seqLen, 1e-5f, 10000f, null, false);
        RotaryEmbedding rope = new RotaryEmbedding(config, seqLen);
        float[] x = randomFloats(random, batch * seqLen * heads * hs, 1);
        float[] g = randomFloats(random, x.length, 1);
        double[] gd = toDouble(g);
        float[] y = new float[x.length];
        rope.forward(parallel, y, x, batch, heads);
        assertValues("y", rope(toDouble(x), batch, seqLen, heads, hs, 10000), y, 1e-5);
        float[] dx = new float[x.length];
        rope.backward(parallel, dx, g, batch, heads);
        assertGradient("dx", numeric(p -> dot(gd, rope(p, batch, seqLen, heads, hs, 10000)), toDouble(x)), dx, 0);
    }

    @Test
    void swiGluGivesGateAndUpGradients() {
        Random random = new Random(6);
        int count = 40;
        float[] a = randomFloats(random, count, 2);
        float[] b = randomFloats(random, count, 1);
        float[] g = randomFloats(random, count, 1);
        double[] gd = toDouble(g);
        float[] h = new float[count];
        SwiGlu.forward(parallel, h, a, b, count);
        float[] da = new float[count];
        float[] db = new float[count];
        SwiGlu.backward(parallel, da, db, g, a, b, count);
        double[] ad = toDouble(a);
        double[] bd = toDouble(b);
        GradientCheck.Loss byA = p -> {
            double s = 0;
            for (int i = 0; i < count; i++) {
                s += gd[i] * p[i] / (1 + Math.exp(-p[i])) * bd[i];
            }
            return s;
        };
        GradientCheck.Loss byB = p -> {
            double s = 0;
            for (int i = 0; i < count; i++) {
                s += gd[i] * ad[i] / (1 + Math.exp(-ad[i])) * p[i];
            }
            return s;
        };
        double[] hd = new double[count];
        for (int i = 0; i < count; i++) {
            hd[i] = ad[i] / (1 + Math.exp(-ad[i])) * bd[i];
        }
        assertValues("h", hd, h, 1e-5);
        assertGradient("da", numeric(byA, toDouble(a)), da, 0);
        assertGradient("db", numeric(byB, toDouble(b)), db, 0);
    }

    @Test
    void residualPassesTheGradientToBothPaths() {
        Random random = new Random(7);
        int count = 9;
        float[] x = randomFloats(random, count, 1);
        float[] f = randomFloats(random, count, 1);
        float[] g = randomFloats(random, count, 1);
        double[] gd = toDouble(g);
        double[] fd = toDouble(f);
        float[] y = new float[count];
        Residual.forward(parallel, y, x, f, count);
        float[] dx = new float[count];
        Residual.backward(parallel, dx, g, count);
        assertGradient("dx", numeric(p -> {
            double s = 0;
            for (int i = 0; i < count; i++) {
                s += gd[i] * (p[i] + fd[i]);
            }
            return s;
        }, toDouble(x)), dx, 0);
        Residual.subtract(parallel, y, f, count);
        assertValues("x recovered", toDouble(x), y, 1e-6);
    }

    @Test
    void causalSelfAttentionWithGroupedHeadsAcrossSeveralTiles() {
        // 40 positions: two query tiles and two key tiles, the second partly masked, the one above the diagonal skipped
        checkAttention(8, 2, CausalSelfAttention.TILE + 8, 4, 2, 4);
    }

    @Test
    void causalSelfAttentionWithHeadsWiderThanAVectorAndATail() {
        // head size 12: whole vector lanes plus a scalar tail for 4- and 8-lane vectors
        checkAttention(9, 1, CausalSelfAttention.TILE + 8, 2, 1, 12);
    }

    private static void checkAttention(long seed, int batch, int seqLen, int heads, int kvHeads, int hs) {
        Random random = new Random(seed);
        int n = batch * seqLen;
        float[] q = randomFloats(random, n * heads * hs, 1);
        float[] k = randomFloats(random, n * kvHeads * hs, 1);
        float[] v = randomFloats(random, n * kvHeads * hs, 1);
        float[] g = randomFloats(random, n * heads * hs, 1);
        double[] gd = toDouble(g);
        float[] out = new float[q.length];
        float[] lse = new float[batch * heads * seqLen];
        CausalSelfAttention.forward(parallel, out, lse, q, k, v, batch, seqLen, heads, kvHeads, hs);
        double[] lseRef = new double[lse.length];
        double[] qd = toDouble(q);
        double[] kd = toDouble(k);
        double[] vd = toDouble(v);
        assertValues("out", attention(qd, kd, vd, batch, seqLen, heads, kvHeads, hs, lseRef), out, 1e-5);
        assertValues("lse", lseRef, lse, 1e-5);
        float[] dq = new float[q.length];
        float[] dk = new float[k.length];
        float[] dv = new float[v.length];
        CausalSelfAttention.backward(parallel, dq, dk, dv, g, q, k, v, out, lse, batch, seqLen, heads, kvHeads, hs);
        assertGradient("dq", numeric(p -> dot(gd, attention(p, kd, vd, batch, seqLen, heads, kvHeads, hs, null)), toDouble(q)), dq, 0);
        assertGradient("dk", numeric(p -> dot(gd, attention(qd, p, vd, batch, seqLen, heads, kvHeads, hs, null)), toDouble(k)), dk, 0);
        assertGradient("dv", numeric(p -> dot(gd, attention(qd, kd, p, batch, seqLen, heads, kvHeads, hs, null)), toDouble(v)), dv, 0);
    }

    @Test
    void outputCrossEntropyInRowBlocksGivesLossAndBothGradients() {
        Random random = new Random(9);
        int n = 7, c = 5, vocab = 11;
        // a budget of 33 logits: blocks of 3 rows, the last one partial
        OutputCrossEntropy head = new OutputCrossEntropy(vocab, c, n, 3 * vocab);
        assertEquals(3, head.blockRows());
        float[] x = randomFloats(random, n * c, 1);
        float[] w = randomFloats(random, vocab * c, 1);
        int[] targets = {3, 0, 10, 3, 7, 1, 5};
        double[] rowLoss = new double[n];
        float[] dx = new float[n * c];
        float[] dw = new float[vocab * c];
        double[] xd = toDouble(x);
        double[] wd = toDouble(w);
        double loss = head.forward(parallel, x, w, 0, targets, n, rowLoss, dx, dw, 0);
        assertEquals(crossEntropy(xd, wd, targets, n, c, vocab), loss, 1e-5);
        assertEquals(loss, head.forward(parallel, x, w, 0, targets, n, rowLoss, null, null, 0), 0);
        assertGradient("dx", numeric(p -> crossEntropy(p, wd, targets, n, c, vocab), toDouble(x)), dx, 0);
        assertGradient("dW", numeric(p -> crossEntropy(xd, p, targets, n, c, vocab), toDouble(w)), dw, 0);
    }
}
