package dev.cria.model.io.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cria.model.LlamaConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfLlamaConfigTest {

    @TempDir
    Path dir;

    /** Meta-Llama-3.1-8B's published config.json. */
    private static final String LLAMA_3_1_8B = """
            {
              "architectures": ["LlamaForCausalLM"],
              "attention_bias": false,
              "attention_dropout": 0.0,
              "bos_token_id": 128000,
              "eos_token_id": 128001,
              "hidden_act": "silu",
              "hidden_size": 4096,
              "initializer_range": 0.02,
              "intermediate_size": 14336,
              "max_position_embeddings": 131072,
              "mlp_bias": false,
              "model_type": "llama",
              "num_attention_heads": 32,
              "num_hidden_layers": 32,
              "num_key_value_heads": 8,
              "pretraining_tp": 1,
              "rms_norm_eps": 1e-05,
              "rope_scaling": {
                "factor": 8.0,
                "low_freq_factor": 1.0,
                "high_freq_factor": 4.0,
                "original_max_position_embeddings": 8192,
                "rope_type": "llama3"
              },
              "rope_theta": 500000.0,
              "tie_word_embeddings": false,
              "torch_dtype": "bfloat16",
              "transformers_version": "4.43.0.dev0",
              "use_cache": true,
              "vocab_size": 128256
            }
            """;

    /** Llama-2-7b-hf's published config.json: no rope_theta, no num_key_value_heads in older exports. */
    private static final String LLAMA_2_7B = """
            {"architectures": ["LlamaForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu",
             "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 11008, "max_position_embeddings": 4096,
             "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 32, "pad_token_id": 0,
             "pretraining_tp": 1, "rms_norm_eps": 1e-05, "rope_scaling": null, "tie_word_embeddings": false,
             "torch_dtype": "float16", "transformers_version": "4.31.0.dev0", "use_cache": true, "vocab_size": 32000}
            """;

    private LlamaConfig parse(String json) throws IOException {
        Path p = dir.resolve("config.json");
        Files.writeString(p, json);
        return HfLlamaConfig.read(p);
    }

    @Test
    void readsLlama31WithItsRopeScaling() throws IOException {
        LlamaConfig c = parse(LLAMA_3_1_8B);
        assertEquals(new LlamaConfig(4096, 14336, 32, 32, 8, 128256, 131072, 1e-5f, 500000f,
                new LlamaConfig.RopeScaling(8f, 1f, 4f, 8192), false), c);
        assertEquals(128, c.headSize());
    }

    @Test
    void readsLlama2WithTransformersDefaults() throws IOException {
        LlamaConfig c = parse(LLAMA_2_7B);
        assertEquals(32, c.kvHeads());
        assertEquals(10000f, c.ropeTheta());
        assertNull(c.ropeScaling());
        assertEquals(4096, c.contextLength());
    }

    @Test
    void writtenConfigReadsBackTheSame() throws IOException {
        LlamaConfig c = parse(LLAMA_3_1_8B);
        ObjectNode json = HfLlamaConfig.toJson(c, "bfloat16", 128000, 128001);
        assertEquals(c, parse(new ObjectMapper().writeValueAsString(json)));
        LlamaConfig tied = new LlamaConfig(64, 172, 5, 8, 4, 512, 512, 1e-5f, 10000f, null, true);
        assertEquals(tied, parse(new ObjectMapper().writeValueAsString(HfLlamaConfig.toJson(tied, "float32", 1, 2))));
    }

    private String error(String json) {
        return assertThrows(HfFormatException.class, () -> parse(json)).getMessage().substring((dir.resolve("config.json") + ": ").length());
    }

    private static String with(String json, String field, String value) {
        return json.replaceFirst("\"" + field + "\": [^,\\n]*", "\"" + field + "\": " + value);
    }

    @Test
    void unsupportedFeaturesAreRefusedByName() {
        assertEquals("model_type is 'mistral'; Cria loads 'llama' checkpoints", error(with(LLAMA_2_7B, "model_type", "\"mistral\"")));
        assertEquals("hidden_act is 'gelu'; LLaMA's SwiGLU uses 'silu'", error(with(LLAMA_2_7B, "hidden_act", "\"gelu\"")));
        assertEquals("attention_bias is true; Cria's LLaMA has no biases", error(with(LLAMA_3_1_8B, "attention_bias", "true")));
        assertEquals("rope_scaling type 'linear' is not supported (Cria implements Llama 3.1's 'llama3')",
                error(with(LLAMA_2_7B, "rope_scaling", "{\"type\": \"linear\", \"factor\": 2.0}")));
        assertEquals("head_dim 64 differs from hidden_size / num_attention_heads = 128; Cria derives the head size from the model width",
                error(LLAMA_3_1_8B.replace("\"hidden_act\"", "\"head_dim\": 64, \"hidden_act\"")));
    }

    @Test
    void missingOrMistypedShapesAreRefusedByName() {
        assertEquals("missing required field 'hidden_size'", error(LLAMA_2_7B.replace("\"hidden_size\": 4096,", "")));
        assertEquals("'num_hidden_layers' is \"32\", expected an integer", error(with(LLAMA_2_7B, "num_hidden_layers", "\"32\"")));
        assertEquals("'rms_norm_eps' is true, expected a number", error(with(LLAMA_2_7B, "rms_norm_eps", "true")));
        assertEquals("invalid model shape: heads 32 is not a multiple of kv heads 7",
                error(with(LLAMA_3_1_8B, "num_key_value_heads", "7")));
        assertEquals("not valid JSON at byte 1: Unexpected character ('x' (code 120)): was expecting double-quote to start field name",
                error("{x}"));
    }
}
