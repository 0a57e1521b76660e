package dev.cria.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.tensor.Parallel;
import dev.cria.testing.LlamaCpp;
import dev.cria.testing.ReferenceTool;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** llama.cpp itself (node-llama-cpp's CPU build, run from a small Node script) as the live reference on the stories260K GGUF files. */
class LlamaCppReferenceTest {

    private static List<String> runReference(String... args) throws IOException, URISyntaxException {
        Path module = LlamaCpp.nodeModule();
        Path script = Path.of(LlamaCppReferenceTest.class.getResource("llamacpp-reference.mjs").toURI());
        List<String> all = new ArrayList<>(List.of(script.toString(), module.toString()));
        all.addAll(List.of(args));
        return ReferenceTool.require("node", "nodejs").runLines(null, all.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K-f32.gguf", "stories260K-llamacpp-f32.gguf"})
    void greedyTokensFromBosAreLlamaCpps(String file) throws Exception {
        Path gguf = Stories260KTest.sharedFile(file);
        int n = 200;
        int[] expected = Arrays.stream(runReference(gguf.toString(), "greedy", Integer.toString(n), "512").getFirst().trim().split(" "))
                .mapToInt(Integer::parseInt).toArray();
        try (LlamaModel model = ModelLoader.load(gguf, null); Parallel parallel = new Parallel(2)) {
            assertArrayEquals(expected, Stories260KTest.greedyTokens(model, n, 512, parallel));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K-f32.gguf", "stories260K-llamacpp-f32.gguf"})
    void logitsAfterEveryTokenAreLlamaCppsWithin1e4(String file) throws Exception {
        Path gguf = Stories260KTest.sharedFile(file);
        int[] tokens = Arrays.copyOf(Stories260KTest.referenceTokens(), 64);
        String csv = Arrays.stream(tokens).mapToObj(Integer::toString).collect(Collectors.joining(","));
        List<String> rows = runReference(gguf.toString(), "logits", "128", csv);
        assertEquals(tokens.length, rows.size());
        try (LlamaModel model = ModelLoader.load(gguf, null); Parallel parallel = new Parallel(2)) {
            Transformer t = new Transformer(model, parallel);
            SequenceState s = t.newState(128);
            float maxDiff = 0;
            for (int pos = 0; pos < tokens.length; pos++) {
                float[] logits = t.decode(s, tokens[pos]);
                String[] cells = rows.get(pos).trim().split(" ");
                assertEquals(logits.length, cells.length);
                for (int j = 0; j < logits.length; j++) {
                    maxDiff = Math.max(maxDiff, Math.abs(logits[j] - Float.parseFloat(cells[j])));
                }
            }
            assertTrue(maxDiff < 1e-4f, "max |logit difference| from llama.cpp " + maxDiff);
        }
    }
}
