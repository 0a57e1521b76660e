package dev.cria.model.io.hf;

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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.model.LlamaConfig;
import dev.cria.model.LlamaModel;
import dev.cria.model.LlamaWeights;
import dev.cria.model.io.safetensors.SafetensorsCheckpoint;
import dev.cria.model.io.safetensors.SafetensorsTensor;
import dev.cria.tensor.Matrix;
import dev.cria.tokenizer.Tokenizer;
import dev.cria.tokenizer.TokenizerLoader;
import dev.cria.tokenizer.spm.SentencePieceModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Loads a Hugging Face Llama checkpoint folder: {@code config.json}, the weights ({@code model.safetensors} or
 * the shards of {@code model.safetensors.index.json}; F32, F16 or BF16), and when present the tokenizer
 * ({@code tokenizer.model}, else {@code tokenizer.json}) and the chat template of {@code tokenizer_config.json}.
 *
 * <p>Matrices are the mapped bytes themselves, except {@code q_proj} and {@code k_proj}, whose rows are put
 * into the adjacent-pairs order {@link LlamaWeights} uses ({@link RotaryRowOrder}: copies). The files stay mapped
 * until the returned model is closed. A tensor missing, of another
 * shape than the config implies, of another dtype, or left over (a bias, say) is an error naming it; the old
 * {@code rotary_emb.inv_freq} buffers are ignored. Llama 3.1 rope scaling stays in
 * {@link LlamaConfig#ropeScaling()}; {@link LlamaWeights#ropeFrequencyFactors()} is left null.
 */
public final class HfLlamaReader {

    private HfLlamaReader() {
    }

    /** @param path the checkpoint folder, or its {@code config.json} */
    public static LlamaModel read(Path path) throws IOException {
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        Path configFile = dir.resolve(HfLlamaConfig.FILE);
        if (!Files.isRegularFile(configFile)) {
            throw new HfFormatException(dir, "no " + HfLlamaConfig.FILE + " in the checkpoint folder");
        }
        LlamaConfig config = HfLlamaConfig.read(configFile);
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir);
        try {
            LlamaWeights weights = new Loader(checkpoint, config, configFile).weights();
            return new LlamaModel(config, weights, tokenizer(dir), chatTemplate(dir), dir.toString(), checkpoint);
        } catch (IOException | RuntimeException | Error e) {
            checkpoint.close();
            throw e;
        }
    }

    /** Turns the tensors of a checkpoint into {@link LlamaWeights}, consuming each name once. */
    private static final class Loader {
        private final SafetensorsCheckpoint checkpoint;
        private final LlamaConfig config;
        private final Path configFile;
        private final Set<String> used = new HashSet<>();

        Loader(SafetensorsCheckpoint checkpoint, LlamaConfig config, Path configFile) {
            this.checkpoint = checkpoint;
            this.config = config;
            this.configFile = configFile;
        }

        LlamaWeights weights() throws IOException {
            int dim = config.dim();
            int kv = config.kvDim();
            int hidden = config.hiddenDim();
            Matrix embedding = matrix(EMBED_TOKENS, config.vocabSize(), dim, "vocab_size × hidden_size");
            List<LlamaWeights.Layer> layers = new ArrayList<>(config.layers());
            for (int i = 0; i < config.layers(); i++) {
                layers.add(new LlamaWeights.Layer(
                        vector(layer(i, ATTENTION_NORM), dim),
                        RotaryRowOrder.halvesToPairs(matrix(layer(i, Q_PROJ), dim, dim, "hidden_size × hidden_size"), config.heads()),
                        RotaryRowOrder.halvesToPairs(matrix(layer(i, K_PROJ), kv, dim,
                                "(num_key_value_heads × head size) × hidden_size"), config.kvHeads()),
                        matrix(layer(i, V_PROJ), kv, dim, "(num_key_value_heads × head size) × hidden_size"),
                        matrix(layer(i, O_PROJ), dim, dim, "hidden_size × hidden_size"),
                        vector(layer(i, FFN_NORM), dim),
                        matrix(layer(i, GATE_PROJ), hidden, dim, "intermediate_size × hidden_size"),
                        matrix(layer(i, DOWN_PROJ), dim, hidden, "hidden_size × intermediate_size"),
                        matrix(layer(i, UP_PROJ), hidden, dim, "intermediate_size × hidden_size")));
            }
            float[] finalNorm = vector(FINAL_NORM, dim);
            Matrix output;
            if (checkpoint.find(LM_HEAD).isPresent()) {
                output = matrix(LM_HEAD, config.vocabSize(), dim, "vocab_size × hidden_size");
                if (config.tiedEmbeddings()) {
                    // transformers ties lm_head to embed_tokens whatever the file holds.
                    output = embedding;
                }
            } else if (config.tiedEmbeddings()) {
                output = embedding;
            } else {
                throw new HfFormatException(checkpoint.source(), "no tensor '" + LM_HEAD + "' and " + configFile.getFileName()
                        + " says tie_word_embeddings is false");
            }
            List<String> leftOver = new ArrayList<>();
            for (String name : checkpoint.names()) {
                if (!used.contains(name) && !name.endsWith(HfLlamaNames.ROTARY_INV_FREQ_SUFFIX)) {
                    leftOver.add(name);
                }
            }
            if (!leftOver.isEmpty()) {
                throw new HfFormatException(checkpoint.source(), leftOver.size() + " tensor(s) that a LLaMA model does not have, first '"
                        + leftOver.getFirst() + "' (" + checkpoint.tensor(leftOver.getFirst()).describe() + ")");
            }
            return new LlamaWeights(embedding, layers, finalNorm, output, null);
        }

        private SafetensorsTensor tensor(String name) throws IOException {
            used.add(name);
            return checkpoint.tensor(name);
        }

        private Matrix matrix(String name, int rows, int cols, String rule) throws IOException {
            SafetensorsTensor t = tensor(name);
            long[] shape = t.shape();
            if (shape.length != 2 || shape[0] != rows || shape[1] != cols) {
                throw t.error("is " + t.describe() + ", but " + configFile.getFileName() + " (" + rule + ") needs ["
                        + rows + ", " + cols + "]");
            }
            return t.matrix();
        }

        private float[] vector(String name, int n) throws IOException {
            SafetensorsTensor t = tensor(name);
            if (t.rank() != 1 || t.shape()[0] != n) {
                throw t.error("is " + t.describe() + ", but " + configFile.getFileName() + " needs [" + n + "]");
            }
            return t.toFloatArray();
        }
    }

    private static Tokenizer tokenizer(Path dir) throws IOException {
        Path spm = dir.resolve("tokenizer.model");
        if (Files.isRegularFile(spm)) {
            return SentencePieceModel.load(spm);
        }
        Path json = dir.resolve("tokenizer.json");
        return Files.isRegularFile(json) ? TokenizerLoader.load(json) : null;
    }

    private static String chatTemplate(Path dir) throws IOException {
        Path file = dir.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonNode template = new ObjectMapper().readTree(file.toFile()).get("chat_template");
        return template != null && template.isTextual() ? template.textValue() : null;
    }
}
