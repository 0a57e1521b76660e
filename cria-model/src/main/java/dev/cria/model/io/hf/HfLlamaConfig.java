package dev.cria.model.io.hf;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cria.model.LlamaConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code config.json} of a Hugging Face {@code LlamaForCausalLM} checkpoint, to and from {@link LlamaConfig}.
 *
 * <p>Read: {@code hidden_size}, {@code intermediate_size}, {@code num_hidden_layers}, {@code num_attention_heads}
 * and {@code vocab_size} are required (a missing shape is an error, not transformers' 7B default); the rest take
 * transformers' defaults: {@code num_key_value_heads} = heads, {@code rms_norm_eps} 1e-6, {@code rope_theta}
 * 10000, {@code max_position_embeddings} 2048, {@code tie_word_embeddings} false, no {@code rope_scaling}.
 * Refused with a message naming the field: another {@code model_type}, an activation other than SiLU,
 * attention or MLP biases, a {@code head_dim} other than {@code hidden_size / num_attention_heads}, and rope
 * scaling other than Llama 3.1's {@code "llama3"} (or {@code "default"}, which means none).
 */
public final class HfLlamaConfig {

    /** The file name of the config in a checkpoint folder. */
    public static final String FILE = "config.json";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private HfLlamaConfig() {
    }

    public static LlamaConfig read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new HfFormatException(file, "not valid JSON at byte " + (e.getLocation() == null ? "?" : e.getLocation().getByteOffset())
                    + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new HfFormatException(file, "expected a JSON object");
        }
        return parse(root, file);
    }

    public static LlamaConfig parse(JsonNode root, Path source) throws HfFormatException {
        Fields f = new Fields(root, source);
        String modelType = f.optionalString("model_type", "llama");
        if (!modelType.equals("llama")) {
            throw new HfFormatException(source, "model_type is '" + modelType + "'; Cria loads 'llama' checkpoints");
        }
        String act = f.optionalString("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new HfFormatException(source, "hidden_act is '" + act + "'; LLaMA's SwiGLU uses 'silu'");
        }
        for (String bias : new String[] {"attention_bias", "mlp_bias"}) {
            if (f.optionalBoolean(bias, false)) {
                throw new HfFormatException(source, bias + " is true; Cria's LLaMA has no biases");
            }
        }
        int dim = f.requiredInt("hidden_size");
        int heads = f.requiredInt("num_attention_heads");
        int hidden = f.requiredInt("intermediate_size");
        int layers = f.requiredInt("num_hidden_layers");
        int vocab = f.requiredInt("vocab_size");
        int kvHeads = f.optionalInt("num_key_value_heads", heads);
        JsonNode headDim = root.get("head_dim");
        if (headDim != null && !headDim.isNull() && heads > 0 && headDim.asLong() != dim / heads) {
            throw new HfFormatException(source, "head_dim " + headDim + " differs from hidden_size / num_attention_heads = "
                    + dim / heads + "; Cria derives the head size from the model width");
        }
        float eps = (float) f.optionalDouble("rms_norm_eps", 1e-6);
        float theta = (float) f.optionalDouble("rope_theta", 10000.0);
        int context = f.optionalInt("max_position_embeddings", 2048);
        boolean tied = f.optionalBoolean("tie_word_embeddings", false);
        LlamaConfig.RopeScaling scaling = ropeScaling(root.get("rope_scaling"), source);
        try {
            return new LlamaConfig(dim, hidden, layers, heads, kvHeads, vocab, context, eps, theta, scaling, tied);
        } catch (IllegalArgumentException e) {
            throw new HfFormatException(source, e.getMessage());
        }
    }

    private static LlamaConfig.RopeScaling ropeScaling(JsonNode node, Path source) throws HfFormatException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new HfFormatException(source, "rope_scaling must be an object or null, is " + node);
        }
        Fields f = new Fields(node, source);
        String type = node.has("rope_type") ? f.optionalString("rope_type", "") : f.optionalString("type", "");
        return switch (type) {
            case "default" -> null;
            case "llama3" -> new LlamaConfig.RopeScaling(
                    (float) f.requiredDouble("factor"),
                    (float) f.optionalDouble("low_freq_factor", 1.0),
                    (float) f.optionalDouble("high_freq_factor", 4.0),
                    f.optionalInt("original_max_position_embeddings", 8192));
            default -> throw new HfFormatException(source, "rope_scaling type '" + type
                    + "' is not supported (Cria implements Llama 3.1's 'llama3')");
        };
    }

    /**
     * The {@code config.json} of {@code config} as transformers writes it for {@code LlamaForCausalLM}.
     *
     * @param torchDtype {@code float32}, {@code float16} or {@code bfloat16}: the dtype of the weights
     * @param bosId      BOS id, or negative to leave it out
     * @param eosId      EOS id, or negative to leave it out
     */
    public static ObjectNode toJson(LlamaConfig config, String torchDtype, int bosId, int eosId) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.putArray("architectures").add("LlamaForCausalLM");
        o.put("model_type", "llama");
        o.put("hidden_act", "silu");
        o.put("hidden_size", config.dim());
        o.put("intermediate_size", config.hiddenDim());
        o.put("num_hidden_layers", config.layers());
        o.put("num_attention_heads", config.heads());
        o.put("num_key_value_heads", config.kvHeads());
        o.put("head_dim", config.headSize());
        o.put("vocab_size", config.vocabSize());
        o.put("max_position_embeddings", config.contextLength());
        o.put("rms_norm_eps", config.rmsNormEps());
        o.put("rope_theta", config.ropeTheta());
        if (config.ropeScaling() == null) {
            o.putNull("rope_scaling");
        } else {
            LlamaConfig.RopeScaling s = config.ropeScaling();
            ObjectNode r = o.putObject("rope_scaling");
            r.put("rope_type", "llama3");
            r.put("factor", s.factor());
            r.put("low_freq_factor", s.lowFreqFactor());
            r.put("high_freq_factor", s.highFreqFactor());
            r.put("original_max_position_embeddings", s.originalContextLength());
        }
        o.put("tie_word_embeddings", config.tiedEmbeddings());
        o.put("attention_bias", false);
        o.put("mlp_bias", false);
        if (bosId >= 0) {
            o.put("bos_token_id", bosId);
        }
        if (eosId >= 0) {
            o.put("eos_token_id", eosId);
        }
        o.put("torch_dtype", torchDtype);
        return o;
    }

    /** Typed access to the fields of one JSON object, with errors naming the field. */
    private record Fields(JsonNode node, Path source) {

        int requiredInt(String name) throws HfFormatException {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                throw new HfFormatException(source, "missing required field '" + name + "'");
            }
            return toInt(name, v);
        }

        int optionalInt(String name, int fallback) throws HfFormatException {
            JsonNode v = node.get(name);
            return v == null || v.isNull() ? fallback : toInt(name, v);
        }

        private int toInt(String name, JsonNode v) throws HfFormatException {
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new HfFormatException(source, "'" + name + "' is " + v + ", expected an integer");
            }
            return v.intValue();
        }

        double requiredDouble(String name) throws HfFormatException {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                throw new HfFormatException(source, "missing required field '" + name + "'");
            }
            return toDouble(name, v);
        }

        double optionalDouble(String name, double fallback) throws HfFormatException {
            JsonNode v = node.get(name);
            return v == null || v.isNull() ? fallback : toDouble(name, v);
        }

        private double toDouble(String name, JsonNode v) throws HfFormatException {
            if (!v.isNumber()) {
                throw new HfFormatException(source, "'" + name + "' is " + v + ", expected a number");
            }
            return v.doubleValue();
        }

        boolean optionalBoolean(String name, boolean fallback) throws HfFormatException {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isBoolean()) {
                throw new HfFormatException(source, "'" + name + "' is " + v + ", expected true or false");
            }
            return v.booleanValue();
        }

        String optionalString(String name, String fallback) throws HfFormatException {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isTextual()) {
                throw new HfFormatException(source, "'" + name + "' is " + v + ", expected a string");
            }
            return v.textValue();
        }
    }
}
