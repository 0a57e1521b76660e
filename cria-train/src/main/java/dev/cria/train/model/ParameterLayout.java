package dev.cria.train.model;

import dev.cria.model.LlamaConfig;
import dev.cria.model.io.hf.HfLlamaNames;
import dev.cria.train.ParameterTensor;
import dev.cria.train.Parameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Where every LLaMA weight lives in the flat parameter buffer, under its Hugging Face name, in this order: token
 * embedding; per layer the attention norm, q, k, v, o, the feed-forward norm, gate, up, down; the final norm; the
 * output projection when it is not tied to the embedding. Matrices are {@code (out, in)}; the query and key rows are in
 * Hugging Face's rotate-half order.
 */
public final class ParameterLayout {

    /** Offsets of one block's weights. */
    public record Layer(int attentionNorm, int wq, int wk, int wv, int wo, int ffnNorm, int gate, int up, int down) {
    }

    private final LlamaConfig config;
    private final List<ParameterTensor> tensors = new ArrayList<>();
    private final List<Layer> layers = new ArrayList<>();
    private final int embedding;
    private final int finalNorm;
    private final int output;
    private final int count;
    private long next;

    public ParameterLayout(LlamaConfig config) {
        this.config = config;
        int c = config.dim();
        int kv = config.kvDim();
        int f = config.hiddenDim();
        embedding = add(HfLlamaNames.EMBED_TOKENS, true, config.vocabSize(), c);
        for (int l = 0; l < config.layers(); l++) {
            layers.add(new Layer(
                    add(HfLlamaNames.layer(l, HfLlamaNames.ATTENTION_NORM), false, c),
                    add(HfLlamaNames.layer(l, HfLlamaNames.Q_PROJ), true, c, c),
                    add(HfLlamaNames.layer(l, HfLlamaNames.K_PROJ), true, kv, c),
                    add(HfLlamaNames.layer(l, HfLlamaNames.V_PROJ), true, kv, c),
                    add(HfLlamaNames.layer(l, HfLlamaNames.O_PROJ), true, c, c),
                    add(HfLlamaNames.layer(l, HfLlamaNames.FFN_NORM), false, c),
                    add(HfLlamaNames.layer(l, HfLlamaNames.GATE_PROJ), true, f, c),
                    add(HfLlamaNames.layer(l, HfLlamaNames.UP_PROJ), true, f, c),
                    add(HfLlamaNames.layer(l, HfLlamaNames.DOWN_PROJ), true, c, f)));
        }
        finalNorm = add(HfLlamaNames.FINAL_NORM, false, c);
        output = config.tiedEmbeddings() ? embedding : add(HfLlamaNames.LM_HEAD, true, config.vocabSize(), c);
        if (next > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("model has " + next + " parameters, more than one float array holds");
        }
        count = (int) next;
    }

    private int add(String name, boolean decayed, int... shape) {
        ParameterTensor t = new ParameterTensor(name, next, shape, decayed);
        tensors.add(t);
        next += t.size();
        return (int) t.offset();
    }

    public LlamaConfig config() {
        return config;
    }

    public Layer layer(int l) {
        return layers.get(l);
    }

    public int embedding() {
        return embedding;
    }

    public int finalNorm() {
        return finalNorm;
    }

    /** The output projection's offset: the embedding's when tied. */
    public int output() {
        return output;
    }

    public int count() {
        return count;
    }

    public List<ParameterTensor> tensors() {
        return List.copyOf(tensors);
    }

    /**
     * Fresh parameters: every matrix drawn from N(0, 0.02²) in layout order with {@code new Random(seed)}, every RMSNorm
     * gain 1, gradients zero.
     */
    public Parameters initialize(long seed) {
        float[] values = new float[count];
        Random random = new Random(seed);
        for (ParameterTensor t : tensors) {
            int from = (int) t.offset();
            int to = from + (int) t.size();
            for (int i = from; i < to; i++) {
                values[i] = t.decayed() ? (float) (0.02 * random.nextGaussian()) : 1f;
            }
        }
        return new Parameters(values, new float[count], tensors);
    }
}
