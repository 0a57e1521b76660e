package dev.cria.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.tensor.DType;
import dev.cria.tensor.Matrices;
import dev.cria.tensor.Matrix;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Greedy decoding of the real stories260K with its matrices quantized to Q8_0, against the 64 greedy tokens of an
 * independent float64 NumPy forward pass (shared/data/models/stories260K/reference). The forward pass here is
 * llama2.c's {@code run.c} written over {@link Matrix} products, so that only the weight format changes between
 * runs: with F32 matrices it must reproduce all 64 reference tokens (which pins the harness), with Q8_0 matrices
 * (every matrix whose rows hold a multiple of 32 values: the embedding/classifier and all but {@code w2}, whose
 * rows have 172) at least the first 50.
 */
class GreedyStories260KTest {
    private static final int STEPS = 64;
    private static final int REQUIRED_PREFIX = 50;

    @ParameterizedTest
    @EnumSource(QuantKernel.class)
    void q8_0WeightsKeepTheFirst50GreedyTokens(QuantKernel kernel) throws IOException {
        int[] reference = referenceTokens();
        int[] tokens = new Forward(Stories260K.load(), DType.Q8_0, kernel).greedy(STEPS);
        int same = 0;
        while (same < STEPS && tokens[same] == reference[same]) {
            same++;
        }
        assertTrue(same >= REQUIRED_PREFIX, "Q8_0 (" + kernel + " kernel) follows the float64 reference for " + same + " tokens, expected at least " + REQUIRED_PREFIX);
    }

    @Test
    void f32WeightsReproduceTheReferenceExactly() throws IOException {
        assertArrayEquals(referenceTokens(), new Forward(Stories260K.load(), DType.F32, QuantKernel.F32).greedy(STEPS));
    }

    /** The 64 tokens after BOS of {@code stories260K_bos_greedy64.tokens.i32} (65 int32, BOS first). */
    private static int[] referenceTokens() throws IOException {
        byte[] bytes = Files.readAllBytes(SharedData.file("models/stories260K/reference/stories260K_bos_greedy64.tokens.i32"));
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[STEPS];
        buf.getInt();
        for (int i = 0; i < STEPS; i++) {
            out[i] = buf.getInt();
        }
        return out;
    }

    /** llama2.c's forward pass (RMSNorm ε = 1e-5, interleaved RoPE with θ = 10000, grouped-query attention, SwiGLU). */
    private static final class Forward {
        private final int dim = 64;
        private final int hidden = 172;
        private final int layers = 5;
        private final int heads = 8;
        private final int kvHeads = 4;
        private final int vocab = 512;
        private final int headSize = dim / heads;
        private final int kvDim = dim * kvHeads / heads;
        private final Map<String, Matrix> m = new HashMap<>();
        private final float[] rmsAtt;
        private final float[] rmsFfn;
        private final float[] rmsFinal;

        Forward(Stories260K model, DType type, QuantKernel kernel) {
            for (Stories260K.Tensor t : model.matrices()) {
                float[] values = t.values(model.all());
                if (type == DType.Q8_0 && t.cols() % 32 == 0) {
                    byte[] q = QuantizedFormats.quantize(DType.Q8_0, values, t.rows(), t.cols());
                    m.put(t.name(), new Q8_0Matrix(MemorySegment.ofArray(q), t.rows(), t.cols(), kernel));
                } else {
                    m.put(t.name(), Matrices.of(values, t.rows(), t.cols()));
                }
            }
            float[] all = model.all();
            // The norm vectors sit between the matrices: rms_att after the embedding, rms_ffn after wo, rms_final after w3.
            rmsAtt = slice(all, vocab * dim, layers * dim);
            int afterWo = vocab * dim + layers * dim + layers * dim * dim * 2 + layers * kvDim * dim * 2;
            rmsFfn = slice(all, afterWo, layers * dim);
            int afterW3 = afterWo + layers * dim + layers * hidden * dim * 3;
            rmsFinal = slice(all, afterW3, dim);
        }

        private static float[] slice(float[] all, int from, int n) {
            float[] out = new float[n];
            System.arraycopy(all, from, out, 0, n);
            return out;
        }

        int[] greedy(int steps) {
            float[][] keys = new float[layers][steps * kvDim];
            float[][] values = new float[layers][steps * kvDim];
            float[] x = new float[dim];
            float[] xb = new float[dim];
            float[] xb2 = new float[dim];
            float[] q = new float[dim];
            float[] k = new float[kvDim];
            float[] v = new float[kvDim];
            float[] h1 = new float[hidden];
            float[] h3 = new float[hidden];
            float[] logits = new float[vocab];
            float[] scores = new float[steps];
            int[] out = new int[steps];
            int token = 1;
            for (int pos = 0; pos < steps; pos++) {
                m.get("token_embedding").dequantizeRow(token, x, 0);
                for (int l = 0; l < layers; l++) {
                    rmsNorm(xb, x, rmsAtt, l * dim);
                    m.get("wq[" + l + "]").matvec(xb, q, 0, dim);
                    m.get("wk[" + l + "]").matvec(xb, k, 0, kvDim);
                    m.get("wv[" + l + "]").matvec(xb, v, 0, kvDim);
                    rope(q, pos);
                    rope(k, pos);
                    System.arraycopy(k, 0, keys[l], pos * kvDim, kvDim);
                    System.arraycopy(v, 0, values[l], pos * kvDim, kvDim);
                    for (int h = 0; h < heads; h++) {
                        int kvOffset = (h / (heads / kvHeads)) * headSize;
                        for (int t = 0; t <= pos; t++) {
                            float s = 0f;
                            for (int i = 0; i < headSize; i++) {
                                s += q[h * headSize + i] * keys[l][t * kvDim + kvOffset + i];
                            }
                            scores[t] = s / (float) Math.sqrt(headSize);
                        }
                        softmax(scores, pos + 1);
                        for (int i = 0; i < headSize; i++) {
                            float acc = 0f;
                            for (int t = 0; t <= pos; t++) {
                                acc += scores[t] * values[l][t * kvDim + kvOffset + i];
                            }
                            xb[h * headSize + i] = acc;
                        }
                    }
                    m.get("wo[" + l + "]").matvec(xb, xb2, 0, dim);
                    for (int i = 0; i < dim; i++) {
                        x[i] += xb2[i];
                    }
                    rmsNorm(xb, x, rmsFfn, l * dim);
                    m.get("w1[" + l + "]").matvec(xb, h1, 0, hidden);
                    m.get("w3[" + l + "]").matvec(xb, h3, 0, hidden);
                    for (int i = 0; i < hidden; i++) {
                        float g = h1[i];
                        h1[i] = g / (1f + (float) Math.exp(-g)) * h3[i];
                    }
                    m.get("w2[" + l + "]").matvec(h1, xb2, 0, dim);
                    for (int i = 0; i < dim; i++) {
                        x[i] += xb2[i];
                    }
                }
                rmsNorm(xb, x, rmsFinal, 0);
                m.get("token_embedding").matvec(xb, logits, 0, vocab);
                token = 0;
                for (int i = 1; i < vocab; i++) {
                    if (logits[i] > logits[token]) {
                        token = i;
                    }
                }
                out[pos] = token;
            }
            return out;
        }

        private void rmsNorm(float[] out, float[] x, float[] weight, int offset) {
            float ss = 0f;
            for (int i = 0; i < dim; i++) {
                ss += x[i] * x[i];
            }
            float scale = 1f / (float) Math.sqrt(ss / dim + 1e-5f);
            for (int i = 0; i < dim; i++) {
                out[i] = weight[offset + i] * (scale * x[i]);
            }
        }

        /** Rotates each pair {@code (v[i], v[i+1])} by {@code pos · 10000^(-(i mod headSize) / headSize)}. */
        private void rope(float[] vec, int pos) {
            for (int i = 0; i < vec.length; i += 2) {
                double angle = pos * Math.pow(10000.0, -(double) (i % headSize) / headSize);
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                float a = vec[i];
                float b = vec[i + 1];
                vec[i] = a * c - b * s;
                vec[i + 1] = a * s + b * c;
            }
        }

        private static void softmax(float[] x, int n) {
            float max = x[0];
            for (int i = 1; i < n; i++) {
                max = Math.max(max, x[i]);
            }
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                x[i] = (float) Math.exp(x[i] - max);
                sum += x[i];
            }
            for (int i = 0; i < n; i++) {
                x[i] /= sum;
            }
        }
    }
}
