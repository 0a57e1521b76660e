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

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cria.model.LlamaConfig;
import dev.cria.model.LlamaModel;
import dev.cria.model.LlamaWeights;
import dev.cria.model.io.safetensors.SafetensorsCheckpointWriter;
import dev.cria.model.io.safetensors.SafetensorsDType;
import dev.cria.model.io.safetensors.SafetensorsWriter;
import dev.cria.tensor.DType;
import dev.cria.tensor.Matrix;
import dev.cria.tokenizer.spm.SentencePieceModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a model as a Hugging Face Llama checkpoint folder that {@code LlamaForCausalLM.from_pretrained} and
 * {@link HfLlamaReader} load: {@code config.json}, the weights in F32, F16 or BF16 ({@code model.safetensors},
 * or shards and {@code model.safetensors.index.json} past the shard size), {@code tokenizer.model} when the
 * tokenizer is SentencePiece, and {@code tokenizer_config.json} with the chat template when there is one.
 *
 * <p>Query and key rows go back to the rotate-halves order ({@link RotaryRowOrder#pairsToHalves}); quantized
 * weights are dequantized (Q8_0 and Q4_0 values are exact in F32; F16 and BF16 round them). {@code lm_head} is
 * left out when embeddings are tied, as transformers saves it. Llama 3.1 rope scaling must be in the config: the
 * frequency factors alone ({@code rope_freqs.weight} of a GGUF file) cannot be written back as
 * {@code rope_scaling}.
 */
public final class HfLlamaWriter {

    /** transformers' default {@code max_shard_size}, "5GB". */
    public static final long DEFAULT_SHARD_BYTES = 5_000_000_000L;

    private HfLlamaWriter() {
    }

    /** The dtype that loses nothing: F16 or BF16 when every matrix is stored so, otherwise F32. */
    public static SafetensorsDType losslessDType(LlamaWeights weights) {
        DType common = null;
        for (Matrix m : matrices(weights)) {
            if (common == null) {
                common = m.type();
            } else if (common != m.type()) {
                return SafetensorsDType.F32;
            }
        }
        return common == DType.F16 ? SafetensorsDType.F16 : common == DType.BF16 ? SafetensorsDType.BF16 : SafetensorsDType.F32;
    }

    /**
     * Writes {@code model} into {@code dir} (created if needed).
     *
     * @param dtype         F32, F16 or BF16
     * @param maxShardBytes the largest safetensors file, in tensor bytes
     * @return the files written
     */
    public static List<Path> write(LlamaModel model, Path dir, SafetensorsDType dtype, long maxShardBytes) throws IOException {
        if (dtype.weightType().isEmpty()) {
            throw new IllegalArgumentException("Hugging Face weights are written as F32, F16 or BF16, not " + dtype);
        }
        LlamaConfig config = model.config();
        LlamaWeights w = model.weights();
        if (w.ropeFrequencyFactors() != null && config.ropeScaling() == null) {
            throw new IllegalArgumentException(model.source() + ": the model has rope frequency factors but no rope scaling parameters;"
                    + " config.json can only express Llama 3.1 scaling by its parameters");
        }
        SafetensorsWriter tensors = new SafetensorsWriter();
        tensors.add(EMBED_TOKENS, w.tokenEmbedding(), dtype);
        for (int i = 0; i < config.layers(); i++) {
            LlamaWeights.Layer l = w.layers().get(i);
            tensors.add(layer(i, ATTENTION_NORM), l.attentionNorm(), dtype, config.dim());
            tensors.add(layer(i, Q_PROJ), RotaryRowOrder.pairsToHalves(l.wq(), config.heads()), dtype);
            tensors.add(layer(i, K_PROJ), RotaryRowOrder.pairsToHalves(l.wk(), config.kvHeads()), dtype);
            tensors.add(layer(i, V_PROJ), l.wv(), dtype);
            tensors.add(layer(i, O_PROJ), l.wo(), dtype);
            tensors.add(layer(i, FFN_NORM), l.ffnNorm(), dtype, config.dim());
            tensors.add(layer(i, GATE_PROJ), l.w1(), dtype);
            tensors.add(layer(i, DOWN_PROJ), l.w2(), dtype);
            tensors.add(layer(i, UP_PROJ), l.w3(), dtype);
        }
        tensors.add(FINAL_NORM, w.finalNorm(), dtype, config.dim());
        boolean tied = config.tiedEmbeddings() || w.output() == w.tokenEmbedding();
        if (!tied) {
            tensors.add(LM_HEAD, w.output(), dtype);
        }
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>(SafetensorsCheckpointWriter.write(dir, tensors, Map.of("format", "pt"), maxShardBytes));
        int bos = model.tokenizer() == null ? -1 : model.tokenizer().bosId();
        int eos = model.tokenizer() == null ? -1 : model.tokenizer().eosId();
        LlamaConfig writtenConfig = tied == config.tiedEmbeddings() ? config
                : new LlamaConfig(config.dim(), config.hiddenDim(), config.layers(), config.heads(), config.kvHeads(),
                        config.vocabSize(), config.contextLength(), config.rmsNormEps(), config.ropeTheta(), config.ropeScaling(), true);
        ObjectNode json = HfLlamaConfig.toJson(writtenConfig, torchDtype(dtype), bos, eos);
        written.add(writeJson(dir.resolve(HfLlamaConfig.FILE), json));
        if (model.tokenizer() instanceof SentencePieceModel spm) {
            Path file = dir.resolve("tokenizer.model");
            spm.proto().write(file);
            written.add(file);
        }
        if (model.chatTemplate() != null) {
            ObjectNode tc = JsonNodeFactory.instance.objectNode();
            tc.put("chat_template", model.chatTemplate());
            written.add(writeJson(dir.resolve("tokenizer_config.json"), tc));
        }
        return written;
    }

    private static String torchDtype(SafetensorsDType dtype) {
        return switch (dtype) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> throw new AssertionError(dtype);
        };
    }

    private static Path writeJson(Path file, ObjectNode json) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(temp, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    private static List<Matrix> matrices(LlamaWeights w) {
        List<Matrix> out = new ArrayList<>();
        out.add(w.tokenEmbedding());
        out.add(w.output());
        for (LlamaWeights.Layer l : w.layers()) {
            out.addAll(List.of(l.wq(), l.wk(), l.wv(), l.wo(), l.w1(), l.w2(), l.w3()));
        }
        return out;
    }
}
