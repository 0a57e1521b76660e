package dev.cria.cli.data;

import dev.cria.cli.CliException;
import dev.cria.cli.Main;
import dev.cria.cli.progress.PhaseProgress;
import dev.cria.data.lid.FastTextArgs;
import dev.cria.data.lid.FastTextClassifier;
import dev.cria.data.lid.FastTextTrainer;
import dev.cria.data.lid.TrainingOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria data train-classifier}: {@code fasttext supervised} in Cria. The model file it writes is in fastText's
 * {@code .bin} format, so {@code fasttext predict} loads it, and {@code cria data lid --model} too.
 */
@Command(
        name = "train-classifier",
        mixinStandardHelpOptions = true,
        description = {"Train a fastText supervised classifier (lines of '__label__X words ...') and write a fastText .bin.",
            "Defaults are fastText's, except threads (1: the same model for the same seed every time)."})
public final class TrainClassifierCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--input", paramLabel = "FILE", required = true,
            description = "Training file: one example per line, labels as tokens starting with __label__.")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", required = true,
            description = "The model file to write (fastText .bin format); it appears only once complete.")
    Path output;

    @Option(names = "--lr", defaultValue = "0.1", description = "Learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--dim", defaultValue = "100", description = "Vector size (default ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--epoch", defaultValue = "5", description = "Passes over the input (default ${DEFAULT-VALUE}).")
    int epoch;

    @Option(names = "--word-ngrams", defaultValue = "1",
            description = "Longest word n-gram feature (default ${DEFAULT-VALUE}).")
    int wordNgrams;

    @Option(names = "--minn", defaultValue = "0", description = "Shortest character n-gram (default ${DEFAULT-VALUE}).")
    int minn;

    @Option(names = "--maxn", defaultValue = "0",
            description = "Longest character n-gram; 0: none (default ${DEFAULT-VALUE}).")
    int maxn;

    @Option(names = "--loss", defaultValue = "softmax",
            description = "softmax, hs (hierarchical softmax) or ova (one-vs-all) (default ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--bucket", defaultValue = "2000000",
            description = "Hash buckets for n-grams (default ${DEFAULT-VALUE}; 0 is recorded when no n-grams are used).")
    int bucket;

    @Option(names = "--min-count", defaultValue = "1",
            description = "Drop words seen fewer times (default ${DEFAULT-VALUE}).")
    int minCount;

    @Option(names = "--threads", defaultValue = "1",
            description = "Hogwild threads; 1 is deterministic (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(input)) {
            throw new CliException("--input: no such file: " + input);
        }
        TrainingOptions options;
        try {
            options = new TrainingOptions(lr, dim, epoch, wordNgrams, minn, maxn, loss(loss), bucket, minCount, 0, 100,
                    threads, seed);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        PrintStream err = Main.streams(spec).err();
        long started = System.nanoTime();
        FastTextClassifier model;
        try (PhaseProgress progress = new PhaseProgress(err)) {
            model = new FastTextTrainer(options).train(input,
                    f -> progress.update("train", "%", Math.round(f * 100), 100));
        }
        model.save(output);
        err.printf(Locale.ROOT, "%s: %d words, %d labels, %d epochs in %.1f s%n", output,
                model.dictionary().nwords(), model.dictionary().nlabels(), epoch, (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private static FastTextArgs.Loss loss(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "softmax" -> FastTextArgs.Loss.SOFTMAX;
            case "hs" -> FastTextArgs.Loss.HS;
            case "ova" -> FastTextArgs.Loss.OVA;
            default -> throw new CliException("--loss must be softmax, hs or ova, was " + name);
        };
    }
}
