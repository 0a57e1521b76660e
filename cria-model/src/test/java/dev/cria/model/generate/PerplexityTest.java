package dev.cria.model.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.model.LlamaModel;
import dev.cria.model.ModelLoader;
import dev.cria.model.SequenceState;
import dev.cria.model.Transformer;
import dev.cria.tensor.Parallel;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerplexityTest {
    private static final String DIR = "models/stories260K/";

    static String text() throws IOException {
        String story = Files.readString(SharedData.file(DIR + "reference/greedy200.expected.txt"), StandardCharsets.UTF_8);
        return story + "\nOne day, a big dog came to the park. The dog was very happy and wanted to play with Lily too.";
    }

    /**
     * The method spelled out token by token: chunks of n_ctx, first token replaced by BOS, each chunk from an empty
     * cache, second half scored, exp of the mean NLL over all scored tokens.
     */
    @Test
    void matchesTheMethodComputedTokenByToken() throws IOException {
        try (LlamaModel model = ModelLoader.load(SharedData.file(DIR + "stories260K.bin"), SharedData.file(DIR + "tok512.bin"));
             Parallel parallel = new Parallel(2)) {
            Transformer t = new Transformer(model, parallel);
            int nCtx = 32;
            String text = text();
            int[] encoded = model.tokenizer().encode(text);
            int[] tokens = new int[encoded.length + 1];
            tokens[0] = 1;
            System.arraycopy(encoded, 0, tokens, 1, encoded.length);
            int chunks = tokens.length / nCtx;
            double nll = 0;
            int count = 0;
            List<Double> running = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                SequenceState s = t.newState(nCtx);
                for (int j = 0; j < nCtx - 1; j++) {
                    int token = j == 0 ? 1 : tokens[c * nCtx + j];
                    float[] logits = t.decode(s, token);
                    if (j >= nCtx / 2) {
                        double max = Double.NEGATIVE_INFINITY;
                        for (float l : logits) {
                            max = Math.max(max, l);
                        }
                        double sum = 0;
                        for (float l : logits) {
                            sum += Math.exp(l - max);
                        }
                        nll -= logits[tokens[c * nCtx + j + 1]] - max - Math.log(sum);
                        count++;
                    }
                }
                running.add(Math.exp(nll / count));
            }
            PerplexityResult r = Perplexity.evaluate(t, model.tokenizer(), text, nCtx, 16, null);
            assertEquals(chunks, r.chunks());
            assertTrue(chunks >= 5, "chunks " + chunks);
            assertEquals(chunks * (nCtx - nCtx / 2 - 1), r.scoredTokens());
            assertEquals(Math.exp(nll / count), r.perplexity(), 1e-4 * r.perplexity());
            for (int c = 0; c < chunks; c++) {
                assertEquals(running.get(c), r.runningPerplexity()[c], 1e-4 * running.get(c), "after chunk " + c);
            }
            assertTrue(r.uncertainty() > 0 && r.uncertainty() < r.perplexity(), r.describe());
        }
    }

    @Test
    void needsAtLeastTwoContextsOfTokens() throws IOException {
        try (LlamaModel model = ModelLoader.load(SharedData.file(DIR + "stories260K.bin"), SharedData.file(DIR + "tok512.bin"));
             Parallel parallel = new Parallel(1)) {
            Transformer t = new Transformer(model, parallel);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Perplexity.evaluate(t, model.tokenizer(), "Once upon a time.", 64, 64, null));
            assertTrue(e.getMessage().contains("needs at least 128 tokens"), e.getMessage());
        }
    }
}
