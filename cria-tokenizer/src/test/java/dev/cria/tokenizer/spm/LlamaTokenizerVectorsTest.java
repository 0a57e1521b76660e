package dev.cria.tokenizer.spm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.testing.SharedData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Llama 2's tokenizer.model against the reference vectors made by SentencePiece itself and by llama.cpp. */
class LlamaTokenizerVectorsTest {
    private static SentencePieceModel llama;

    @BeforeAll
    static void load() throws Exception {
        llama = SentencePieceModel.load(SharedData.file("tokenizer/llama2/tokenizer.model"));
    }

    @Test
    void encodesTheEdgeCasesExactlyAsSentencePiece() throws Exception {
        List<String> failures = new ArrayList<>();
        var cases = VectorFiles.jsonl(SharedData.file("tokenizer/vectors/cases.jsonl"));
        assertEquals(111, cases.size());
        for (var c : cases) {
            int[] got = llama.encode(c.input());
            if (!java.util.Arrays.equals(c.ids(), got)) {
                failures.add(c.label() + ": expected " + java.util.Arrays.toString(c.ids()) + " got " + java.util.Arrays.toString(got));
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void decodesTheEdgeCasesExactlyAsSentencePiece() throws Exception {
        List<String> failures = new ArrayList<>();
        for (var c : VectorFiles.jsonl(SharedData.file("tokenizer/vectors/cases.jsonl"))) {
            String got = llama.decode(c.ids());
            if (!c.decoded().equals(got)) {
                failures.add(c.label() + ": expected [" + c.decoded() + "] got [" + got + "]");
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void encodesTheLlamaCppVectors() throws Exception {
        var cases = VectorFiles.ggml(SharedData.file("tokenizer/vectors/ggml-vocab-llama-spm.gguf.inp"),
                SharedData.file("tokenizer/vectors/ggml-vocab-llama-spm.gguf.out"));
        assertEquals(46, cases.size());
        for (var c : cases) {
            assertArrayEquals(c.ids(), llama.encode(c.input()), c.label());
            assertEquals(new String(c.input(), StandardCharsets.UTF_8), llama.decode(c.ids()), "round trip of " + c.label());
        }
    }

    @Test
    void encodesTheLlamaTokenizerJsCasesWithBos() throws Exception {
        JsonNode root = new ObjectMapper().readTree(SharedData.file("tokenizer/vectors/llama-tokenizer-js.testcases.json").toFile());
        int n = 0;
        for (JsonNode c : root.get("encode")) {
            String input = c.get("input").asText();
            int[] expected = new int[c.get("expected_with_bos").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = c.get("expected_with_bos").get(i).asInt();
            }
            int[] ids = llama.encode(input);
            int[] withBos = new int[ids.length + 1];
            withBos[0] = llama.bosId();
            System.arraycopy(ids, 0, withBos, 1, ids.length);
            assertArrayEquals(expected, withBos, input);
            n++;
        }
        assertEquals(12, n);
    }

    @Test
    void decodesTheLlamaTokenizerJsCasesThatUseSentencePieceSemantics() throws Exception {
        JsonNode root = new ObjectMapper().readTree(SharedData.file("tokenizer/vectors/llama-tokenizer-js.testcases.json").toFile());
        int n = 0;
        for (JsonNode c : root.get("decode")) {
            // llama-tokenizer-js prints "<s>" and keeps the leading space unless both flags are set; SentencePiece
            // drops control pieces and the dummy-prefix space, which is the case with both flags true.
            if (!c.get("add_bos_token").asBoolean() || !c.get("add_preceding_space").asBoolean()) {
                continue;
            }
            int[] ids = new int[c.get("ids").size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = c.get("ids").get(i).asInt();
            }
            assertEquals(c.get("expected").asText(), llama.decode(ids));
            n++;
        }
        assertEquals(true, n > 0);
    }
}
