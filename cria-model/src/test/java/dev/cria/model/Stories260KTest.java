package dev.cria.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.model.generate.GenerationOptions;
import dev.cria.model.generate.GenerationResult;
import dev.cria.model.generate.Generator;
import dev.cria.model.generate.StopReason;
import dev.cria.tensor.Parallel;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real stories260K model against llama2.c's output and an independent float64 NumPy forward pass. */
class Stories260KTest {
    static final String DIR = "models/stories260K/";
    private static Parallel parallel;

    @BeforeAll
    static void threads() {
        parallel = new Parallel(2);
    }

    @AfterAll
    static void stop() {
        parallel.close();
    }

    static LlamaModel loadV0() throws IOException {
        return ModelLoader.load(SharedData.file(DIR + "stories260K.bin"), SharedData.file(DIR + "tok512.bin"));
    }

    static int[] referenceTokens() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(SharedData.file(DIR + "reference/stories260K_bos_greedy64.tokens.i32")))
                .order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[b.remaining() / 4];
        b.asIntBuffer().get(out);
        return out;
    }

    static float[] referenceLogits() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(SharedData.file(DIR + "reference/stories260K_bos_greedy64.logits.f32")))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    static String expectedGreedyText() throws IOException {
        return Files.readString(SharedData.file(DIR + "reference/greedy200.expected.txt"), StandardCharsets.UTF_8);
    }

    /** Greedy tokens from BOS, decoded one at a time. */
    static int[] greedyTokens(LlamaModel model, int n, int context, Parallel parallel) {
        Transformer t = new Transformer(model, parallel);
        SequenceState s = t.newState(context);
        int[] out = new int[n];
        int token = model.tokenizer().bosId();
        for (int i = 0; i < n; i++) {
            token = argmax(t.decode(s, token));
            out[i] = token;
        }
        return out;
    }

    @Test
    void decodeMatchesTheFloat64ReferenceLogitsWithin1e4() throws IOException {
        int[] tokens = referenceTokens();
        float[] expected = referenceLogits();
        try (LlamaModel model = loadV0()) {
            Transformer t = new Transformer(model, parallel);
            SequenceState s = t.newState();
            int vocab = model.config().vocabSize();
            float maxDiff = 0;
            for (int pos = 0; pos < 64; pos++) {
                float[] logits = t.decode(s, tokens[pos]);
                maxDiff = Math.max(maxDiff, maxAbsDiff(logits, 0, expected, pos * vocab, vocab));
                assertEquals(tokens[pos + 1], argmax(logits), "greedy token at position " + (pos + 1));
            }
            assertTrue(maxDiff < 1e-4f, "max |logit difference| " + maxDiff);
        }
    }

    @Test
    void prefillOfTheWholeSequenceMatchesTheReferenceLogitsWithin1e4() throws IOException {
        int[] tokens = referenceTokens();
        float[] expected = referenceLogits();
        try (LlamaModel model = loadV0()) {
            Transformer t = new Transformer(model, parallel);
            for (int batch : new int[] {64, 7}) {
                SequenceState s = t.newState(512, batch);
                float[] all = new float[expected.length];
                t.prefillAll(s, tokens, 0, 64, all, 0);
                float maxDiff = maxAbsDiff(all, 0, expected, 0, expected.length);
                assertTrue(maxDiff < 1e-4f, "batch " + batch + ": max |logit difference| " + maxDiff);
                assertEquals(64, s.position());
            }
        }
    }

    @Test
    void prefillThenDecodeGivesTheLogitsOfDecodingAlone() throws IOException {
        int[] tokens = referenceTokens();
        try (LlamaModel model = loadV0()) {
            Transformer t = new Transformer(model, parallel);
            int vocab = model.config().vocabSize();
            SequenceState alone = t.newState();
            float[] decoded = new float[64 * vocab];
            for (int pos = 0; pos < 64; pos++) {
                System.arraycopy(t.decode(alone, tokens[pos]), 0, decoded, pos * vocab, vocab);
            }
            SequenceState mixed = t.newState(512, 8);
            float[] last = t.prefill(mixed, tokens, 0, 20);
            // Batched and one-at-a-time products sum in different orders: float rounding only.
            assertTrue(maxAbsDiff(last, 0, decoded, 19 * vocab, vocab) < 1e-4f, "logits after the prefilled prompt");
            for (int pos = 20; pos < 64; pos++) {
                float[] logits = t.decode(mixed, tokens[pos]);
                float diff = maxAbsDiff(logits, 0, decoded, pos * vocab, vocab);
                assertTrue(diff < 1e-4f, "position " + pos + ": max |difference| " + diff);
            }
        }
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalLogits() throws IOException {
        int[] tokens = referenceTokens();
        try (LlamaModel model = loadV0(); Parallel one = new Parallel(1)) {
            Transformer single = new Transformer(model, one);
            Transformer dual = new Transformer(model, parallel);
            SequenceState a = single.newState();
            SequenceState b = dual.newState();
            for (int pos = 0; pos < 16; pos++) {
                assertArrayEquals(single.decode(a, tokens[pos]), dual.decode(b, tokens[pos]), "position " + pos);
            }
        }
    }

    /** llama2.c's {@code run -n 200} feeds BOS and prints the 200 tokens it samples. */
    @Test
    void greedyGenerationFromBosReproducesLlama2cOutput() throws IOException {
        try (LlamaModel model = loadV0()) {
            Generator g = new Generator(new Transformer(model, parallel), model.tokenizer());
            StringBuilder streamed = new StringBuilder();
            GenerationResult r = g.generate("", GenerationOptions.greedy(200), streamed::append);
            assertEquals(expectedGreedyText(), r.text());
            assertEquals(r.text(), streamed.toString());
            assertEquals(200, r.tokens().length);
            assertEquals(StopReason.MAX_TOKENS, r.stopReason());
            assertEquals(1, r.stats().promptTokens());
            assertEquals(199, r.stats().decodedTokens());
        }
    }

    @Test
    void bothGgufFilesGiveTheTokensOfTheLlama2cCheckpoint() throws IOException {
        int n = 200;
        try (LlamaModel v0 = loadV0();
             LlamaModel tied = ModelLoader.load(SharedData.file(DIR + "stories260K-f32.gguf"), null);
             LlamaModel explicit = ModelLoader.load(SharedData.file(DIR + "stories260K-llamacpp-f32.gguf"), null)) {
            assertTrue(tied.config().tiedEmbeddings());
            assertTrue(!explicit.config().tiedEmbeddings());
            assertEquals(128, explicit.config().contextLength());
            int[] expected = greedyTokens(v0, n, 512, parallel);
            assertArrayEquals(expected, greedyTokens(tied, n, 512, parallel));
            assertArrayEquals(expected, greedyTokens(explicit, n, 512, parallel));
        }
    }

    static float maxAbsDiff(float[] a, int aOff, float[] b, int bOff, int n) {
        float max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(a[aOff + i] - b[bOff + i]));
        }
        return max;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static Path sharedFile(String name) {
        return SharedData.file(DIR + name);
    }
}
