package dev.cria.tokenizer.bytelevel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Llama 3's tokenizer.json and llama.cpp's test vectors, loaded once per test JVM. */
final class Llama3Fixture {

    /** One llama.cpp test case: the text and its ids without BOS. */
    record Case(String text, int[] ids) {
    }

    private static JsonNode json;
    private static ByteLevelBpe tokenizer;

    private Llama3Fixture() {
    }

    static Path tokenizerJsonPath() {
        return SharedData.file("tokenizer/llama3/tokenizer.json");
    }

    static synchronized JsonNode tokenizerJson() {
        if (json == null) {
            try {
                json = new ObjectMapper().readTree(tokenizerJsonPath().toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return json;
    }

    static synchronized ByteLevelBpe tokenizer() {
        if (tokenizer == null) {
            try {
                tokenizer = ByteLevelBpe.fromTokenizerJson(tokenizerJson(), tokenizerJsonPath().toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tokenizer;
    }

    /** llama.cpp's ggml-vocab-llama-bpe cases: each text in .inp is followed by "\n__ggml_vocab_test__\n". */
    static List<Case> llamaCppCases() throws IOException {
        String inp = Files.readString(SharedData.file("tokenizer/vectors/ggml-vocab-llama-bpe.gguf.inp"),
                StandardCharsets.UTF_8);
        String out = Files.readString(SharedData.file("tokenizer/vectors/ggml-vocab-llama-bpe.gguf.out"),
                StandardCharsets.UTF_8);
        String separator = "\n__ggml_vocab_test__\n";
        List<String> texts = new ArrayList<>(Arrays.asList(inp.split(separator, -1)));
        if (!texts.getLast().isEmpty()) {
            throw new IllegalStateException("the .inp file should end with the separator");
        }
        texts.removeLast();
        List<String> lines = new ArrayList<>(Arrays.asList(out.split("\n", -1)));
        if (lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        if (texts.size() != lines.size()) {
            throw new IllegalStateException(texts.size() + " texts but " + lines.size() + " id lines");
        }
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String line = lines.get(i).strip();
            int[] ids = line.isEmpty() ? new int[0] : Arrays.stream(line.split(" +")).mapToInt(Integer::parseInt).toArray();
            cases.add(new Case(texts.get(i), ids));
        }
        return cases;
    }
}
