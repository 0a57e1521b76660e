package dev.cria.cli.model;

import dev.cria.cli.CliException;
import dev.cria.cli.Main;
import dev.cria.cli.progress.PhaseProgress;
import dev.cria.model.LlamaModel;
import dev.cria.model.Transformer;
import dev.cria.model.generate.Perplexity;
import dev.cria.model.generate.PerplexityResult;
import dev.cria.tensor.Parallel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cria perplexity}: a model's perplexity on a text, by llama-perplexity's method. */
@Command(
        name = "perplexity",
        mixinStandardHelpOptions = true,
        description = "Perplexity of a model on a text file, by llama-perplexity's method (chunks of --context tokens, second halves scored).")
public final class PerplexityCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "UTF-8 text to score.")
    Path input;

    @Option(names = "--context", paramLabel = "N", description = "Tokens per chunk (default: ${DEFAULT-VALUE}, llama-perplexity's).")
    int context = 512;

    @Option(names = "--batch", paramLabel = "N", description = "Tokens per prefill batch (default: ${DEFAULT-VALUE}; does not change the result).")
    int batch = 512;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(Main.streams(spec).out(), false, StandardCharsets.UTF_8);
        PrintStream err = Main.streams(spec).err();
        String text = Files.readString(input, StandardCharsets.UTF_8);
        try (LlamaModel loaded = model.load(); Parallel parallel = new Parallel(model.threads); PhaseProgress progress = new PhaseProgress(err)) {
            if (loaded.tokenizer() == null) {
                throw new CliException(model.model + " carries no tokenizer: give one with --tokenizer");
            }
            int chunks = loaded.tokenizer().encode(text).length / context;
            long start = System.nanoTime();
            PerplexityResult r;
            try {
                r = Perplexity.evaluate(new Transformer(loaded, parallel), loaded.tokenizer(), text, context, batch,
                        i -> progress.update("perplexity", "chunks", i + 1, chunks));
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            progress.close();
            err.printf(Locale.ROOT, "perplexity: %d chunks of %d tokens, %d tokens scored in %.1f s%n", r.chunks(), r.contextLength(),
                    r.scoredTokens(), (System.nanoTime() - start) / 1e9);
            out.printf(Locale.ROOT, "perplexity: %.4f ± %.5f%n", r.perplexity(), r.uncertainty());
            out.flush();
        }
        return 0;
    }
}
