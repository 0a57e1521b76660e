package dev.cria.cli.model;

import dev.cria.cli.Main;
import dev.cria.cli.bench.Samples;
import dev.cria.model.LlamaModel;
import dev.cria.model.SequenceState;
import dev.cria.model.Transformer;
import dev.cria.tensor.Parallel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria bench}: inference speed as llama-bench measures it. Prefill: P tokens processed as one batch in an
 * empty context; decode: G tokens fed one at a time from an empty context. Each is repeated R times after one
 * warm-up; stdout shows the medians with their spread (half the min-max range).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure prefill and decode speed (tokens/s) like llama-bench's pp/tg tests.")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--prompt-tokens", paramLabel = "P", description = "Prefill batch size; 0 skips prefill (default: ${DEFAULT-VALUE}).")
    int promptTokens = 128;

    @Option(names = "--gen-tokens", paramLabel = "G", description = "Decoded tokens; 0 skips decode (default: ${DEFAULT-VALUE}).")
    int genTokens = 128;

    @Option(names = "--repetitions", paramLabel = "R", description = "Timed repetitions (default: ${DEFAULT-VALUE}).")
    int repetitions = 5;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(Main.streams(spec).out(), true, StandardCharsets.UTF_8);
        PrintStream err = Main.streams(spec).err();
        try (LlamaModel loaded = model.load(); Parallel parallel = new Parallel(model.threads)) {
            Transformer transformer = new Transformer(loaded, parallel);
            int vocab = loaded.config().vocabSize();
            int context = Math.max(promptTokens, genTokens) + 1;
            SequenceState state = transformer.newState(context, Math.max(1, promptTokens));
            err.printf(Locale.ROOT, "bench: %s, %d threads, %s%n", model.model, model.threads, describe(loaded));
            if (promptTokens > 0) {
                int[] tokens = new int[promptTokens];
                for (int i = 0; i < tokens.length; i++) {
                    tokens[i] = (int) ((i * 7919L + 13) % vocab);
                }
                double[] rates = new double[repetitions];
                for (int r = -1; r < repetitions; r++) {
                    state.reset();
                    long start = System.nanoTime();
                    transformer.prefill(state, tokens);
                    long nanos = System.nanoTime() - start;
                    if (r >= 0) {
                        rates[r] = promptTokens * 1e9 / nanos;
                    }
                }
                out.println("prefill: " + new Samples(rates).format(2, "tok/s"));
            }
            if (genTokens > 0) {
                double[] rates = new double[repetitions];
                for (int r = -1; r < repetitions; r++) {
                    state.reset();
                    long start = System.nanoTime();
                    for (int i = 0; i < genTokens; i++) {
                        transformer.decode(state, (int) ((i * 104729L + 7) % vocab));
                    }
                    long nanos = System.nanoTime() - start;
                    if (r >= 0) {
                        rates[r] = genTokens * 1e9 / nanos;
                    }
                }
                out.println("decode: " + new Samples(rates).format(2, "tok/s"));
            }
        }
        return 0;
    }

    private static String describe(LlamaModel m) {
        var c = m.config();
        return String.format(Locale.ROOT, "dim %d, %d layers, %d heads (%d kv), hidden %d, vocab %d, weights %s", c.dim(), c.layers(),
                c.heads(), c.kvHeads(), c.hiddenDim(), c.vocabSize(), m.weights().layers().getFirst().wq().type());
    }
}
