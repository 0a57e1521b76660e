package dev.cria.model.io.gguf;

import dev.cria.gguf.GgmlType;
import dev.cria.gguf.GgufFile;
import dev.cria.gguf.GgufFormatException;
import dev.cria.gguf.GgufMetadata;
import dev.cria.gguf.GgufTensor;
import dev.cria.model.LlamaConfig;
import dev.cria.model.LlamaModel;
import dev.cria.model.LlamaWeights;
import dev.cria.tensor.DType;
import dev.cria.tensor.Matrices;
import dev.cria.tensor.Matrix;
import dev.cria.tokenizer.Tokenizer;
import dev.cria.tokenizer.TokenizerLoader;
import dev.cria.tokenizer.spm.GgufSentencePiece;
import dev.cria.tokenizer.spm.SentencePieceModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Loads a LLaMA model ({@code general.architecture = llama}) from a GGUF file as llama.cpp lays it out.
 *
 * <p>The shape comes from the {@code llama.*} metadata: {@code embedding_length}, {@code feed_forward_length},
 * {@code block_count}, {@code attention.head_count}, {@code attention.head_count_kv} (default: head_count),
 * {@code attention.layer_norm_rms_epsilon}, {@code context_length}, {@code rope.freq_base} (default 10000),
 * {@code vocab_size} (default: the length of {@code tokenizer.ggml.tokens}, then the rows of {@code token_embd}),
 * and the position scaling {@code rope.scaling.type}/{@code rope.scaling.factor} (only {@code none} and
 * {@code linear}; Llama 3.1's scaling arrives as the {@code rope_freqs.weight} tensor of per-frequency divisors).
 *
 * <p>Tensors, by llama.cpp's names, dims first-fastest ({@code [in, out]} for a matrix {@code [out][in]}):
 * {@code token_embd}, {@code blk.N.attn_norm}, {@code blk.N.attn_q/k/v/output}, {@code blk.N.ffn_norm},
 * {@code blk.N.ffn_gate/down/up}, {@code output_norm}, {@code output} (absent: tied to {@code token_embd}),
 * {@code rope_freqs} (optional), all with the suffix {@code .weight}. Matrices may be F32, F16, BF16, Q8_0 or Q4_0
 * and stay in the mapped file; norms are read into {@code float[]}.
 *
 * <p>The tokenizer comes from the same file's {@code tokenizer.ggml.*} keys (SentencePiece for {@code llama},
 * Llama 3's byte-level BPE for {@code gpt2}), the chat template from {@code tokenizer.chat_template}. The returned
 * model owns the mapping: close it to unmap the file.
 */
public final class GgufModelLoader {
    private static final String ARCH = "llama";

    private GgufModelLoader() {
    }

    /** Maps {@code path} and loads the model; the file stays mapped until the model is closed. */
    public static LlamaModel load(Path path) throws IOException {
        GgufFile file = GgufFile.open(path);
        try {
            return load(file);
        } catch (IOException | RuntimeException | Error e) {
            file.close();
            throw e;
        }
    }

    /** Loads the model of an open file; the model takes ownership of it (closing the model closes the file). */
    public static LlamaModel load(GgufFile file) throws IOException {
        Path path = file.path();
        GgufMetadata meta = file.metadata();
        String arch = meta.findString("general.architecture")
                .orElseThrow(() -> new GgufFormatException(path, -1, "no general.architecture key: not a model file"));
        if (!arch.equals(ARCH)) {
            throw new GgufFormatException(path, -1, "general.architecture is '" + arch + "'; Cria runs 'llama' models");
        }
        boolean tied = file.findTensor("output.weight").isEmpty();
        LlamaConfig config = config(file, tied);
        Tensors tensors = new Tensors(file, config);
        int dim = config.dim();
        int kv = config.kvDim();
        int hidden = config.hiddenDim();
        Matrix embedding = tensors.matrix("token_embd.weight", config.vocabSize(), dim);
        List<LlamaWeights.Layer> layers = new ArrayList<>(config.layers());
        for (int i = 0; i < config.layers(); i++) {
            String p = "blk." + i + ".";
            layers.add(new LlamaWeights.Layer(
                    tensors.vector(p + "attn_norm.weight", dim),
                    tensors.matrix(p + "attn_q.weight", dim, dim),
                    tensors.matrix(p + "attn_k.weight", kv, dim),
                    tensors.matrix(p + "attn_v.weight", kv, dim),
                    tensors.matrix(p + "attn_output.weight", dim, dim),
                    tensors.vector(p + "ffn_norm.weight", dim),
                    tensors.matrix(p + "ffn_gate.weight", hidden, dim),
                    tensors.matrix(p + "ffn_down.weight", dim, hidden),
                    tensors.matrix(p + "ffn_up.weight", hidden, dim)));
        }
        float[] finalNorm = tensors.vector("output_norm.weight", dim);
        Matrix output = tied ? embedding : tensors.matrix("output.weight", config.vocabSize(), dim);
        float[] ropeFactors = ropeFactors(file, tensors, config);
        LlamaWeights weights = new LlamaWeights(embedding, layers, finalNorm, output, ropeFactors);
        Tokenizer tokenizer = tokenizer(file);
        String template = meta.findString("tokenizer.chat_template").orElse(null);
        try {
            return new LlamaModel(config, weights, tokenizer, template, path.toString(), file);
        } catch (IllegalArgumentException e) {
            throw new GgufFormatException(path, -1, e.getMessage());
        }
    }

    /** The shape and constants from the {@code llama.*} keys; {@code tied} when there is no {@code output.weight}. */
    static LlamaConfig config(GgufFile file, boolean tied) throws GgufFormatException {
        Path path = file.path();
        GgufMetadata meta = file.metadata();
        int dim = meta.getInt(key("embedding_length"));
        int hidden = meta.getInt(key("feed_forward_length"));
        int layers = meta.getInt(key("block_count"));
        int heads = meta.getInt(key("attention.head_count"));
        int kvHeads = meta.findInt(key("attention.head_count_kv")).orElse(heads);
        float eps = meta.getFloat(key("attention.layer_norm_rms_epsilon"));
        int context = meta.getInt(key("context_length"));
        float theta = meta.findFloat(key("rope.freq_base")).orElse(10000f);
        int vocab = vocabSize(file);
        LlamaConfig config;
        try {
            config = new LlamaConfig(dim, hidden, layers, heads, kvHeads, vocab, context, eps, theta, null, tied);
        } catch (IllegalArgumentException e) {
            throw new GgufFormatException(path, -1, e.getMessage() + " (from the llama.* metadata)");
        }
        int headSize = config.headSize();
        for (String k : List.of("rope.dimension_count", "attention.key_length", "attention.value_length")) {
            var v = meta.findInt(key(k));
            if (v.isPresent() && v.getAsInt() != headSize) {
                throw new GgufFormatException(path, -1, key(k) + " is " + v.getAsInt() + "; Cria supports only the head size "
                        + headSize + " (embedding_length / head_count)");
            }
        }
        return config;
    }

    private static int vocabSize(GgufFile file) throws GgufFormatException {
        GgufMetadata meta = file.metadata();
        var declared = meta.findInt(key("vocab_size"));
        if (declared.isPresent()) {
            return declared.getAsInt();
        }
        Optional<String[]> tokens = meta.findStringArray("tokenizer.ggml.tokens");
        if (tokens.isPresent()) {
            return tokens.get().length;
        }
        GgufTensor embedding = file.tensor("token_embd.weight");
        long[] dims = embedding.dimensions();
        if (dims.length != 2 || dims[1] > Integer.MAX_VALUE) {
            throw new GgufFormatException(file.path(), -1, "cannot tell the vocabulary size: no llama.vocab_size, no tokenizer.ggml.tokens, "
                    + "and token_embd.weight has dims " + Arrays.toString(dims));
        }
        return (int) dims[1];
    }

    /**
     * Per-frequency divisors of the rotary angles: {@code rope_freqs.weight} (Llama 3.1), times the linear scaling
     * factor when {@code rope.scaling.type = linear} (positions divided by the factor: the same as every frequency
     * divided by it). Null when neither is present.
     */
    private static float[] ropeFactors(GgufFile file, Tensors tensors, LlamaConfig config) throws GgufFormatException {
        GgufMetadata meta = file.metadata();
        int half = config.headSize() / 2;
        float[] factors = file.findTensor("rope_freqs.weight").isPresent() ? tensors.vector("rope_freqs.weight", half) : null;
        String type = meta.findString(key("rope.scaling.type")).orElse(null);
        float linear;
        if (type == null) {
            linear = meta.findFloat(key("rope.scale_linear")).orElse(1f);
        } else {
            linear = switch (type) {
                case "none" -> 1f;
                case "linear" -> meta.findFloat(key("rope.scaling.factor")).orElse(1f);
                default -> throw new GgufFormatException(file.path(), -1, key("rope.scaling.type") + " is '" + type
                        + "'; Cria supports 'none' and 'linear' (and Llama 3.1's rope_freqs.weight)");
            };
        }
        if (!(linear > 0)) {
            throw new GgufFormatException(file.path(), -1, "rope scaling factor " + linear + " must be positive");
        }
        if (linear != 1f) {
            if (factors == null) {
                factors = new float[half];
                Arrays.fill(factors, 1f);
            }
            for (int i = 0; i < half; i++) {
                factors[i] *= linear;
            }
        }
        return factors;
    }

    private static Tokenizer tokenizer(GgufFile file) throws IOException {
        GgufMetadata meta = file.metadata();
        Optional<String> kind = meta.findString("tokenizer.ggml.model");
        if (kind.isEmpty()) {
            return null;
        }
        if (kind.get().equals("llama")) {
            String source = file.path().toString();
            return SentencePieceModel.of(GgufSentencePiece.toModelProto(meta, source), source);
        }
        return TokenizerLoader.load(file.path());
    }

    private static String key(String suffix) {
        return ARCH + "." + suffix;
    }

    /** Tensor lookup with the checks every weight needs: present, a supported type, the shape the metadata implies. */
    private record Tensors(GgufFile file, LlamaConfig config) {

        Matrix matrix(String name, int rows, int cols) throws GgufFormatException {
            GgufTensor t = require(name);
            checkDims(t, new long[] {cols, rows});
            return Matrices.of(dtype(t), t.data(), rows, cols);
        }

        float[] vector(String name, int n) throws GgufFormatException {
            GgufTensor t = require(name);
            checkDims(t, new long[] {n});
            return Matrices.of(dtype(t), t.data(), 1, n).toFloatArray();
        }

        private GgufTensor require(String name) throws GgufFormatException {
            return file.findTensor(name).orElseThrow(() -> new GgufFormatException(file.path(), -1,
                    "tensor '" + name + "' is missing (a llama model has " + expectedCount() + ")"));
        }

        private String expectedCount() {
            return "token_embd, output_norm, " + config.layers() + " × 9 blk tensors";
        }

        private long offset(GgufTensor t) {
            return file.dataOffset() + t.info().offset();
        }

        /** The dims, ignoring trailing dims of 1, must equal {@code expected} (first dimension fastest). */
        private void checkDims(GgufTensor t, long[] expected) throws GgufFormatException {
            long[] dims = t.dimensions();
            int rank = dims.length;
            while (rank > expected.length && dims[rank - 1] == 1) {
                rank--;
            }
            if (!Arrays.equals(Arrays.copyOf(dims, rank), expected)) {
                throw new GgufFormatException(file.path(), offset(t), "tensor '" + t.name() + "' has dims " + Arrays.toString(dims)
                        + ", the metadata implies " + Arrays.toString(expected) + " (dim " + config.dim() + ", hidden " + config.hiddenDim()
                        + ", kv " + config.kvDim() + ", vocab " + config.vocabSize() + ")");
            }
        }

        private DType dtype(GgufTensor t) throws GgufFormatException {
            GgmlType type = t.type();
            return switch (type) {
                case F32 -> DType.F32;
                case F16 -> DType.F16;
                case BF16 -> DType.BF16;
                case Q8_0 -> DType.Q8_0;
                case Q4_0 -> DType.Q4_0;
                default -> throw new GgufFormatException(file.path(), offset(t), "tensor '" + t.name() + "' has type " + type
                        + ", which Cria does not support (F32, F16, BF16, Q8_0, Q4_0)");
            };
        }
    }
}
