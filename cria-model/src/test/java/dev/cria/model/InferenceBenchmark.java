package dev.cria.model;

import dev.cria.tensor.Parallel;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prefill and decode throughput on stories260K and on a random model of the stories15M shape (F32, heap), with 1
 * and 2 threads: medians of 5 repetitions after a warm-up, in the style of llama-bench (pp = prompt tokens, tg =
 * generated tokens). Prints; asserts nothing. Run with {@code -Dcria.excludedGroups=none -Dtest=InferenceBenchmark}.
 */
@Tag("benchmark")
class InferenceBenchmark {
    private static final int REPETITIONS = 5;

    @Test
    void stories260K() throws IOException {
        try (LlamaModel model = ModelLoader.load(SharedData.file("models/stories260K/stories260K.bin"), null)) {
            run("stories260K", model, 128, 128);
        }
    }

    @Test
    void stories15MShape() {
        LlamaConfig c = new LlamaConfig(288, 768, 6, 6, 6, 32000, 256, 1e-5f, 10000f, null, true);
        run("stories15M shape (random, F32)", TestModels.random(c, 15), 128, 128);
    }

    private static void run(String name, LlamaModel model, int prompt, int generate) {
        int[] tokens = new int[prompt + generate];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = 1 + (i * 37) % (model.config().vocabSize() - 1);
        }
        long weightBytes = weightBytes(model);
        for (int threads : new int[] {1, 2}) {
            try (Parallel parallel = new Parallel(threads)) {
                Transformer t = new Transformer(model, parallel);
                SequenceState s = t.newState(prompt + generate);
                double[] pp = new double[REPETITIONS];
                double[] tg = new double[REPETITIONS];
                for (int rep = -2; rep < REPETITIONS; rep++) {
                    s.reset();
                    long t0 = System.nanoTime();
                    t.prefill(s, tokens, 0, prompt);
                    long t1 = System.nanoTime();
                    s.reset();
                    long t2 = System.nanoTime();
                    for (int i = 0; i < generate; i++) {
                        t.decode(s, tokens[i]);
                    }
                    long t3 = System.nanoTime();
                    if (rep >= 0) {
                        pp[rep] = prompt * 1e9 / (t1 - t0);
                        tg[rep] = generate * 1e9 / (t3 - t2);
                    }
                }
                Arrays.sort(pp);
                Arrays.sort(tg);
                double decode = tg[REPETITIONS / 2];
                System.out.printf(Locale.ROOT, "%s, %d thread(s): pp%d %.1f tok/s (%.1f..%.1f), tg%d %.1f tok/s (%.1f..%.1f), "
                                + "%.1f MB weights per token -> %.2f GB/s%n",
                        name, threads, prompt, pp[REPETITIONS / 2], pp[0], pp[REPETITIONS - 1], generate, decode, tg[0], tg[REPETITIONS - 1],
                        weightBytes / 1e6, decode * weightBytes / 1e9);
            }
        }
    }

    /** Bytes of weights one decoded token reads: every layer matrix and the classifier (one embedding row is negligible). */
    private static long weightBytes(LlamaModel model) {
        long sum = model.weights().output().data().byteSize();
        for (LlamaWeights.Layer l : model.weights().layers()) {
            sum += l.wq().data().byteSize() + l.wk().data().byteSize() + l.wv().data().byteSize() + l.wo().data().byteSize()
                    + l.w1().data().byteSize() + l.w2().data().byteSize() + l.w3().data().byteSize();
        }
        return sum;
    }
}
