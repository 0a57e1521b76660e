package dev.cria.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.cria.model.LlamaConfig;
import dev.cria.model.io.hf.HfLlamaNames;
import dev.cria.train.ParameterTensor;
import dev.cria.train.Parameters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The same LLaMA written with libtorch tensor ops through DJL, differentiated by libtorch's autograd: the reference for
 * the hand-written backward. Plain formulation on purpose: full (T, T) attention scores with a mask, the whole logits
 * tensor, log-softmax; rotate-half rotary embeddings as Hugging Face's modeling_llama applies them.
 */
final class TorchLlama {
    private final LlamaConfig config;
    private final NDManager manager;
    final Map<String, NDArray> weights = new LinkedHashMap<>();

    TorchLlama(LlamaConfig config, NDManager manager, Parameters parameters) {
        this.config = config;
        this.manager = manager;
        for (ParameterTensor t : parameters.tensors()) {
            float[] values = java.util.Arrays.copyOfRange(parameters.values(), (int) t.offset(), (int) (t.offset() + t.size()));
            long[] shape = new long[t.shape().length];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.shape()[i];
            }
            NDArray w = manager.create(values, new Shape(shape));
            w.setRequiresGradient(true);
            weights.put(t.name(), w);
        }
    }

    private NDArray w(String name) {
        return weights.get(name);
    }

    /** Summed cross-entropy; {@code reversible} selects the two-stream coupling of {@link ReversibleLlamaTrainer}. */
    NDArray loss(int[] inputs, int[] targets, int batch, int seqLen, boolean reversible) {
        int n = batch * seqLen;
        int v = config.vocabSize();
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = inputs[i];
        }
        // a lookup (index_select), whose backward is libtorch's scatter-add
        NDArray x = w(HfLlamaNames.EMBED_TOKENS).get(manager.create(ids));
        NDArray mask = causalMask(seqLen);
        NDArray[] rope = ropeTables(seqLen);
        NDArray top;
        if (reversible) {
            NDArray x1 = x;
            NDArray x2 = x;
            for (int l = 0; l < config.layers(); l++) {
                x1 = x1.add(attention(l, x2, batch, seqLen, mask, rope));
                x2 = x2.add(feedForward(l, x1));
            }
            top = x1.add(x2).mul(0.5f);
        } else {
            for (int l = 0; l < config.layers(); l++) {
                x = x.add(attention(l, x, batch, seqLen, mask, rope));
                x = x.add(feedForward(l, x));
            }
            top = x;
        }
        NDArray normed = rmsNorm(top, w(HfLlamaNames.FINAL_NORM));
        NDArray out = config.tiedEmbeddings() ? w(HfLlamaNames.EMBED_TOKENS) : w(HfLlamaNames.LM_HEAD);
        NDArray logProbs = normed.matMul(out.transpose()).logSoftmax(1);
        NDArray onehot = oneHot(targets, n, v);
        return logProbs.mul(onehot).sum().neg();
    }

    /** (n, v) rows selecting the targets, to pick each row's log-probability. */
    private NDArray oneHot(int[] ids, int n, int v) {
        float[] m = new float[n * v];
        for (int i = 0; i < n; i++) {
            m[i * v + ids[i]] = 1f;
        }
        return manager.create(m, new Shape(n, v));
    }

    private NDArray rmsNorm(NDArray x, NDArray gain) {
        NDArray ms = x.square().mean(new int[] {1}, true);
        return x.div(ms.add(config.rmsNormEps()).sqrt()).mul(gain);
    }

    private NDArray linear(NDArray x, String name) {
        return x.matMul(w(name).transpose());
    }

    private NDArray attention(int l, NDArray x, int batch, int seqLen, NDArray mask, NDArray[] rope) {
        int hs = config.headSize();
        int heads = config.heads();
        int kvHeads = config.kvHeads();
        NDArray n = rmsNorm(x, w(HfLlamaNames.layer(l, HfLlamaNames.ATTENTION_NORM)));
        NDArray q = rotate(linear(n, HfLlamaNames.layer(l, HfLlamaNames.Q_PROJ)).reshape(batch, seqLen, heads, hs), rope);
        NDArray k = rotate(linear(n, HfLlamaNames.layer(l, HfLlamaNames.K_PROJ)).reshape(batch, seqLen, kvHeads, hs), rope);
        NDArray v = linear(n, HfLlamaNames.layer(l, HfLlamaNames.V_PROJ)).reshape(batch, seqLen, kvHeads, hs);
        NDArray out = null;
        for (int h = 0; h < heads; h++) {
            int g = h / (heads / kvHeads);
            NDArray qh = q.get(":, :, " + h + ", :");
            NDArray kh = k.get(":, :, " + g + ", :");
            NDArray vh = v.get(":, :, " + g + ", :");
            NDArray scores = qh.matMul(kh.transpose(0, 2, 1)).div((float) Math.sqrt(hs)).add(mask);
            NDArray oh = scores.softmax(2).matMul(vh);
            out = out == null ? oh : out.concat(oh, 2);
        }
        return linear(out.reshape(batch * seqLen, heads * hs), HfLlamaNames.layer(l, HfLlamaNames.O_PROJ));
    }

    private NDArray feedForward(int l, NDArray x) {
        NDArray n = rmsNorm(x, w(HfLlamaNames.layer(l, HfLlamaNames.FFN_NORM)));
        NDArray gate = Activation.swish(linear(n, HfLlamaNames.layer(l, HfLlamaNames.GATE_PROJ)), 1f);
        NDArray up = linear(n, HfLlamaNames.layer(l, HfLlamaNames.UP_PROJ));
        return linear(gate.mul(up), HfLlamaNames.layer(l, HfLlamaNames.DOWN_PROJ));
    }

    /** x is (B, T, heads, d): (x1, x2) halves turned by cos/sin of shape (T, 1, d/2). */
    private NDArray rotate(NDArray x, NDArray[] rope) {
        int half = config.headSize() / 2;
        NDArray x1 = x.get("..., :" + half);
        NDArray x2 = x.get("..., " + half + ":");
        return x1.mul(rope[0]).sub(x2.mul(rope[1])).concat(x2.mul(rope[0]).add(x1.mul(rope[1])), 3);
    }

    private NDArray[] ropeTables(int seqLen) {
        int hs = config.headSize();
        int half = hs / 2;
        float[] cos = new float[seqLen * half];
        float[] sin = new float[seqLen * half];
        for (int t = 0; t < seqLen; t++) {
            for (int i = 0; i < half; i++) {
                double angle = t * Math.pow(config.ropeTheta(), -2.0 * i / hs);
                cos[t * half + i] = (float) Math.cos(angle);
                sin[t * half + i] = (float) Math.sin(angle);
            }
        }
        return new NDArray[] {manager.create(cos, new Shape(seqLen, 1, half)), manager.create(sin, new Shape(seqLen, 1, half))};
    }

    private NDArray causalMask(int seqLen) {
        float[] m = new float[seqLen * seqLen];
        for (int i = 0; i < seqLen; i++) {
            for (int j = i + 1; j < seqLen; j++) {
                m[i * seqLen + j] = -1e9f;
            }
        }
        return manager.create(m, new Shape(seqLen, seqLen));
    }
}
