package dev.cria.tokenizer.bytelevel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cria.gguf.GgufWriter;
import dev.cria.tokenizer.Tokenizer;
import dev.cria.tokenizer.TokenizerFormatException;
import dev.cria.tokenizer.TokenizerLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A GGUF vocabulary in llama.cpp's "gpt2" layout, built from Llama 3's tokenizer.json, loads and tokenizes like it. */
class GgufByteLevelTest {

    private static Path writeGguf(Path dir, String pre) throws Exception {
        JsonNode root = Llama3Fixture.tokenizerJson();
        ByteLevelBpe reference = Llama3Fixture.tokenizer();
        int n = reference.vocabSize();
        String[] tokens = new String[n];
        int[] types = new int[n];
        for (int id = 0; id < n; id++) {
            tokens[id] = reference.piece(id);
            types[id] = reference.type(id).code();
        }
        List<String> merges = new ArrayList<>();
        for (JsonNode m : root.path("model").path("merges")) {
            merges.add(m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText());
        }
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", "llama");
        w.putString("tokenizer.ggml.model", "gpt2");
        w.putString("tokenizer.ggml.pre", pre);
        w.putStrings("tokenizer.ggml.tokens", tokens);
        w.put("tokenizer.ggml.token_type", dev.cria.gguf.GgufValue.int32s(types));
        w.putStrings("tokenizer.ggml.merges", merges.toArray(String[]::new));
        w.putUInt32("tokenizer.ggml.bos_token_id", 128000);
        w.putUInt32("tokenizer.ggml.eos_token_id", 128009);
        Path file = dir.resolve("llama3-vocab-" + pre + ".gguf");
        w.write(file);
        return file;
    }

    @Test
    void readsLlamaCppsGpt2Vocabulary(@TempDir Path dir) throws Exception {
        Tokenizer gguf = TokenizerLoader.load(writeGguf(dir, "llama-bpe"));
        for (Llama3Fixture.Case c : Llama3Fixture.llamaCppCases()) {
            assertArrayEquals(c.ids(), gguf.encode(c.text()), c.text());
        }
        assertEquals(128000, gguf.bosId());
        assertEquals(128009, gguf.eosId(), "the file's eos id wins (chat models end turns with <|eot_id|>)");
    }

    @Test
    void refusesPreTokenizersItDoesNotImplement(@TempDir Path dir) throws Exception {
        Path file = writeGguf(dir, "qwen2");
        var e = assertThrows(TokenizerFormatException.class, () -> TokenizerLoader.load(file));
        assertTrue(e.getMessage().contains("qwen2"), e.getMessage());
    }
}
