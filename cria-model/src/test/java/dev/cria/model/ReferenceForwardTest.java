package dev.cria.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.tensor.Parallel;

import org.junit.jupiter.api.Test;

/**
 * The forward pass against a plain float64 transcription of the LLaMA equations (no cache: every position is
 * recomputed from the whole prefix), on random models that exercise what stories260K does not: grouped-query
 * attention with other ratios, untied output, a large rotary base with Llama 3.1's frequency scaling.
 */
class ReferenceForwardTest {

    @Test
    void llama2ShapeWithMultiQueryAttentionMatchesTheReference() {
        LlamaConfig c = new LlamaConfig(48, 96, 2, 6, 1, 61, 32, 1e-6f, 10000f, null, false);
        check(TestModels.random(c, 1), 20);
    }

    @Test
    void llama31ScalingMatchesTheReference() {
        LlamaConfig.RopeScaling scaling = new LlamaConfig.RopeScaling(8f, 1f, 4f, 16);
        LlamaConfig c = new LlamaConfig(64, 128, 2, 4, 2, 50, 64, 1e-5f, 500000f, scaling, true);
        LlamaModel model = TestModels.random(c, 2);
        check(model, 40);
    }

    @Test
    void ropeFrequencyFactorsDivideTheFrequencies() {
        LlamaConfig c = new LlamaConfig(32, 64, 1, 2, 2, 40, 32, 1e-5f, 10000f, null, true);
        float[] factors = new float[8];
        for (int i = 0; i < factors.length; i++) {
            factors[i] = 1 + i;
        }
        LlamaModel model = new LlamaModel(c, TestModels.randomWeights(c, 3, factors), null, null, "factors");
        check(model, 16);
    }

    private static void check(LlamaModel model, int n) {
        LlamaConfig c = model.config();
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = (i * 7 + 3) % c.vocabSize();
        }
        double[][] expected = new NaiveLlama(model).logits(tokens);
        try (Parallel parallel = new Parallel(2)) {
            Transformer t = new Transformer(model, parallel);
            SequenceState decoding = t.newState();
            float[] batched = new float[n * c.vocabSize()];
            t.prefillAll(t.newState(c.contextLength(), 5), tokens, 0, n, batched, 0);
            for (int pos = 0; pos < n; pos++) {
                float[] logits = t.decode(decoding, tokens[pos]);
                for (int j = 0; j < c.vocabSize(); j++) {
                    double e = expected[pos][j];
                    double tolerance = 1e-4 * Math.max(1, Math.abs(e));
                    assertTrue(Math.abs(logits[j] - e) < tolerance, "decode, position " + pos + " logit " + j + ": " + logits[j] + " vs " + e);
                    float b = batched[pos * c.vocabSize() + j];
                    assertTrue(Math.abs(b - e) < tolerance, "prefill, position " + pos + " logit " + j + ": " + b + " vs " + e);
                }
            }
        }
    }

    /** The equations, in double precision, written for reading rather than speed. */
    static final class NaiveLlama {
        private final LlamaConfig c;
        private final LlamaWeights w;
        private final double[] inverseFrequency;

        NaiveLlama(LlamaModel model) {
            this.c = model.config();
            this.w = model.weights();
            int d = c.headSize();
            inverseFrequency = new double[d / 2];
            for (int i = 0; i < d / 2; i++) {
                double f = 1.0 / Math.pow(c.ropeTheta(), (2.0 * i) / d);
                if (w.ropeFrequencyFactors() != null) {
                    f /= w.ropeFrequencyFactors()[i];
                } else if (c.ropeScaling() != null) {
                    f = llama31(f, c.ropeScaling());
                }
                inverseFrequency[i] = f;
            }
        }

        /** Meta's apply_scaling: low frequencies divided by the factor, high kept, a linear blend in between. */
        private static double llama31(double freq, LlamaConfig.RopeScaling s) {
            double wavelen = 2 * Math.PI / freq;
            double lowFreqWavelen = s.originalContextLength() / s.lowFreqFactor();
            double highFreqWavelen = s.originalContextLength() / s.highFreqFactor();
            if (wavelen < highFreqWavelen) {
                return freq;
            }
            if (wavelen > lowFreqWavelen) {
                return freq / s.factor();
            }
            double smooth = (s.originalContextLength() / wavelen - s.lowFreqFactor()) / (s.highFreqFactor() - s.lowFreqFactor());
            return (1 - smooth) * freq / s.factor() + smooth * freq;
        }

        double[][] logits(int[] tokens) {
            int n = tokens.length;
            double[][] x = new double[n][];
            for (int t = 0; t < n; t++) {
                x[t] = row(w.tokenEmbedding().toFloatArray(), tokens[t], c.dim());
            }
            for (LlamaWeights.Layer layer : w.layers()) {
                double[][] q = new double[n][];
                double[][] k = new double[n][];
                double[][] v = new double[n][];
                for (int t = 0; t < n; t++) {
                    double[] h = rmsNorm(x[t], layer.attentionNorm());
                    q[t] = rope(mul(layer.wq().toFloatArray(), c.dim(), h), t);
                    k[t] = rope(mul(layer.wk().toFloatArray(), c.kvDim(), h), t);
                    v[t] = mul(layer.wv().toFloatArray(), c.kvDim(), h);
                }
                for (int t = 0; t < n; t++) {
                    double[] att = new double[c.dim()];
                    int d = c.headSize();
                    for (int head = 0; head < c.heads(); head++) {
                        int kvHead = head / (c.heads() / c.kvHeads());
                        double[] score = new double[t + 1];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int p = 0; p <= t; p++) {
                            double s = 0;
                            for (int i = 0; i < d; i++) {
                                s += q[t][head * d + i] * k[p][kvHead * d + i];
                            }
                            score[p] = s / Math.sqrt(d);
                            max = Math.max(max, score[p]);
                        }
                        double sum = 0;
                        for (int p = 0; p <= t; p++) {
                            score[p] = Math.exp(score[p] - max);
                            sum += score[p];
                        }
                        for (int p = 0; p <= t; p++) {
                            for (int i = 0; i < d; i++) {
                                att[head * d + i] += score[p] / sum * v[p][kvHead * d + i];
                            }
                        }
                    }
                    add(x[t], mul(layer.wo().toFloatArray(), c.dim(), att));
                    double[] h = rmsNorm(x[t], layer.ffnNorm());
                    double[] gate = mul(layer.w1().toFloatArray(), c.hiddenDim(), h);
                    double[] up = mul(layer.w3().toFloatArray(), c.hiddenDim(), h);
                    for (int i = 0; i < gate.length; i++) {
                        gate[i] = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
                    }
                    add(x[t], mul(layer.w2().toFloatArray(), c.dim(), gate));
                }
            }
            double[][] out = new double[n][];
            for (int t = 0; t < n; t++) {
                out[t] = mul(w.output().toFloatArray(), c.vocabSize(), rmsNorm(x[t], w.finalNorm()));
            }
            return out;
        }

        private double[] rope(double[] v, int pos) {
            int d = c.headSize();
            for (int h = 0; h < v.length / d; h++) {
                for (int i = 0; i < d / 2; i++) {
                    double a = pos * inverseFrequency[i];
                    double x0 = v[h * d + 2 * i];
                    double x1 = v[h * d + 2 * i + 1];
                    v[h * d + 2 * i] = x0 * Math.cos(a) - x1 * Math.sin(a);
                    v[h * d + 2 * i + 1] = x0 * Math.sin(a) + x1 * Math.cos(a);
                }
            }
            return v;
        }

        private double[] rmsNorm(double[] x, float[] weight) {
            double ss = 0;
            for (double e : x) {
                ss += e * e;
            }
            double scale = 1 / Math.sqrt(ss / x.length + c.rmsNormEps());
            double[] out = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                out[i] = x[i] * scale * weight[i];
            }
            return out;
        }

        private static double[] mul(float[] m, int rows, double[] x) {
            double[] y = new double[rows];
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int i = 0; i < x.length; i++) {
                    s += m[r * x.length + i] * x[i];
                }
                y[r] = s;
            }
            return y;
        }

        private static double[] row(float[] m, int r, int cols) {
            double[] out = new double[cols];
            for (int i = 0; i < cols; i++) {
                out[i] = m[r * cols + i];
            }
            return out;
        }

        private static void add(double[] x, double[] y) {
            for (int i = 0; i < x.length; i++) {
                x[i] += y[i];
            }
        }
    }

}
