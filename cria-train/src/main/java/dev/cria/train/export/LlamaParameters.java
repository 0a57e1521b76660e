package dev.cria.train.export;

import static dev.cria.model.io.hf.HfLlamaNames.ATTENTION_NORM;
import static dev.cria.model.io.hf.HfLlamaNames.DOWN_PROJ;
import static dev.cria.model.io.hf.HfLlamaNames.EMBED_TOKENS;
import static dev.cria.model.io.hf.HfLlamaNames.FFN_NORM;
import static dev.cria.model.io.hf.HfLlamaNames.FINAL_NORM;
import static dev.cria.model.io.hf.HfLlamaNames.GATE_PROJ;
import static dev.cria.model.io.hf.HfLlamaNames.K_PROJ;
import static dev.cria.model.io.hf.HfLlamaNames.LM_HEAD;
import static dev.cria.model.io.hf.HfLlamaNames.O_PROJ;
import static dev.cria.model.io.hf.HfLlamaNames.Q_PROJ;
import static dev.cria.model.io.hf.HfLlamaNames.UP_PROJ;
import static dev.cria.model.io.hf.HfLlamaNames.V_PROJ;
import static dev.cria.model.io.hf.HfLlamaNames.layer;

import dev.cria.model.LlamaConfig;
import dev.cria.model.LlamaModel;
import dev.cria.model.LlamaWeights;
import dev.cria.model.io.hf.RotaryRowOrder;
import dev.cria.tensor.Matrices;
import dev.cria.tensor.Matrix;
import dev.cria.tokenizer.Tokenizer;
import dev.cria.train.ParameterTensor;
import dev.cria.train.Parameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Between a trainer's flat {@link Parameters} and cria-model's {@link LlamaModel}. Parameters hold every tensor under
 * its Hugging Face Llama name and in Hugging Face's layout, query and key rows included in the rotate-halves order;
 * {@link LlamaWeights} keeps those rows in the adjacent-pairs order of GGUF and llama2.c, so the two are permuted
 * with {@link RotaryRowOrder} on the way (an exact reordering).
 */
public final class LlamaParameters {

    private LlamaParameters() {
    }

    /**
     * The tensors of {@code config} in Hugging Face's state-dict order, packed back to back: matrices and the
     * embedding decayed, RMSNorm gains not. {@code lm_head} is left out when embeddings are tied.
     */
    public static List<ParameterTensor> layout(LlamaConfig c) {
        List<ParameterTensor> out = new ArrayList<>();
        long[] at = {0};
        add(out, at, EMBED_TOKENS, true, c.vocabSize(), c.dim());
        for (int i = 0; i < c.layers(); i++) {
            add(out, at, layer(i, ATTENTION_NORM), false, c.dim());
            add(out, at, layer(i, Q_PROJ), true, c.dim(), c.dim());
            add(out, at, layer(i, K_PROJ), true, c.kvDim(), c.dim());
            add(out, at, layer(i, V_PROJ), true, c.kvDim(), c.dim());
            add(out, at, layer(i, O_PROJ), true, c.dim(), c.dim());
            add(out, at, layer(i, FFN_NORM), false, c.dim());
            add(out, at, layer(i, GATE_PROJ), true, c.hiddenDim(), c.dim());
            add(out, at, layer(i, UP_PROJ), true, c.hiddenDim(), c.dim());
            add(out, at, layer(i, DOWN_PROJ), true, c.dim(), c.hiddenDim());
        }
        add(out, at, FINAL_NORM, false, c.dim());
        if (!c.tiedEmbeddings()) {
            add(out, at, LM_HEAD, true, c.vocabSize(), c.dim());
        }
        return out;
    }

    private static void add(List<ParameterTensor> out, long[] at, String name, boolean decayed, int... shape) {
        ParameterTensor t = new ParameterTensor(name, at[0], shape, decayed);
        out.add(t);
        at[0] += t.size();
    }

    /** Fresh zeroed parameters in the {@link #layout} of {@code config}. */
    public static Parameters allocate(LlamaConfig config) {
        List<ParameterTensor> tensors = layout(config);
        ParameterTensor last = tensors.getLast();
        int n = Math.toIntExact(last.offset() + last.size());
        return new Parameters(new float[n], new float[n], tensors);
    }

    /** Copies the weights of {@code model} into {@code target}, found by name whatever its layout. */
    public static void copyFrom(LlamaModel model, Parameters target) {
        LlamaConfig c = model.config();
        LlamaWeights w = model.weights();
        put(target, EMBED_TOKENS, w.tokenEmbedding());
        for (int i = 0; i < c.layers(); i++) {
            LlamaWeights.Layer l = w.layers().get(i);
            put(target, layer(i, ATTENTION_NORM), l.attentionNorm());
            put(target, layer(i, Q_PROJ), RotaryRowOrder.pairsToHalves(l.wq(), c.heads()));
            put(target, layer(i, K_PROJ), RotaryRowOrder.pairsToHalves(l.wk(), c.kvHeads()));
            put(target, layer(i, V_PROJ), l.wv());
            put(target, layer(i, O_PROJ), l.wo());
            put(target, layer(i, FFN_NORM), l.ffnNorm());
            put(target, layer(i, GATE_PROJ), l.w1());
            put(target, layer(i, UP_PROJ), l.w3());
            put(target, layer(i, DOWN_PROJ), l.w2());
        }
        put(target, FINAL_NORM, w.finalNorm());
        if (!c.tiedEmbeddings()) {
            put(target, LM_HEAD, w.output());
        }
    }

    private static void put(Parameters p, String name, Matrix m) {
        ParameterTensor t = p.tensor(name);
        check(t, m.rows(), m.cols());
        for (int r = 0; r < m.rows(); r++) {
            m.dequantizeRow(r, p.values(), Math.toIntExact(t.offset() + (long) r * m.cols()));
        }
    }

    private static void put(Parameters p, String name, float[] v) {
        ParameterTensor t = p.tensor(name);
        check(t, v.length);
        System.arraycopy(v, 0, p.values(), Math.toIntExact(t.offset()), v.length);
    }

    private static void check(ParameterTensor t, int... shape) {
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException("parameter " + t.name() + " is " + Arrays.toString(t.shape()) + ", the model's is "
                    + Arrays.toString(shape));
        }
    }

    /**
     * A {@link LlamaModel} holding a copy of the weights in {@code parameters} (F32, on the heap), for inference and
     * export.
     *
     * @param tokenizer the run's tokenizer, or null
     */
    public static LlamaModel toModel(Parameters parameters, LlamaConfig c, Tokenizer tokenizer, String source) {
        Matrix embedding = matrix(parameters, EMBED_TOKENS, c.vocabSize(), c.dim());
        List<LlamaWeights.Layer> layers = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            layers.add(new LlamaWeights.Layer(
                    vector(parameters, layer(i, ATTENTION_NORM), c.dim()),
                    RotaryRowOrder.halvesToPairs(matrix(parameters, layer(i, Q_PROJ), c.dim(), c.dim()), c.heads()),
                    RotaryRowOrder.halvesToPairs(matrix(parameters, layer(i, K_PROJ), c.kvDim(), c.dim()), c.kvHeads()),
                    matrix(parameters, layer(i, V_PROJ), c.kvDim(), c.dim()),
                    matrix(parameters, layer(i, O_PROJ), c.dim(), c.dim()),
                    vector(parameters, layer(i, FFN_NORM), c.dim()),
                    matrix(parameters, layer(i, GATE_PROJ), c.hiddenDim(), c.dim()),
                    matrix(parameters, layer(i, DOWN_PROJ), c.dim(), c.hiddenDim()),
                    matrix(parameters, layer(i, UP_PROJ), c.hiddenDim(), c.dim())));
        }
        float[] finalNorm = vector(parameters, FINAL_NORM, c.dim());
        Matrix output = c.tiedEmbeddings() ? embedding : matrix(parameters, LM_HEAD, c.vocabSize(), c.dim());
        return new LlamaModel(c, new LlamaWeights(embedding, layers, finalNorm, output, null), tokenizer, null, source);
    }

    private static Matrix matrix(Parameters p, String name, int rows, int cols) {
        return Matrices.of(slice(p, name, rows, cols), rows, cols);
    }

    private static float[] vector(Parameters p, String name, int n) {
        return slice(p, name, n);
    }

    private static float[] slice(Parameters p, String name, int... shape) {
        ParameterTensor t = p.tensor(name);
        check(t, shape);
        int from = Math.toIntExact(t.offset());
        return Arrays.copyOfRange(p.values(), from, Math.toIntExact(from + t.size()));
    }
}
