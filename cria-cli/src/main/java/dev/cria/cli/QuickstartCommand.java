package dev.cria.cli;

import dev.cria.cli.quickstart.ModelSize;
import dev.cria.cli.quickstart.Quickstart;
import dev.cria.cli.quickstart.Report;
import dev.cria.cli.quickstart.Summary;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria quickstart}: Cria's main job. The LLaMA recipe end to end on the Europarl corpus embedded in Cria: pages,
 * the CCNet chain through the data engine, a BPE tokenizer with LLaMA's options, token shards, a small LLaMA trained
 * with the paper's optimizer, schedule and selective checkpointing, validation, samples and {@code report.html}
 * ({@code docs/quickstart.md}). Progress goes to stderr; stdout gets the summary, whose last lines are
 * {@code val_loss: X}, {@code val_perplexity: Y} and {@code report: PATH}.
 */
@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description = {"Cria's main job: the LLaMA recipe end to end on the embedded Europarl corpus.",
            "Europarl pages -> CCNet (line dedup, language id, 5-gram perplexity, buckets, C4 and Gopher filters) -> BPE tokenizer ->",
            "token shards -> a small LLaMA -> validation loss, samples and report.html."})
public final class QuickstartCommand implements Callable<Integer> {

    /** Default training steps: the whole run fits in 15 minutes on a 2-core machine (docs/quickstart.md). */
    static final long DEFAULT_STEPS = 600;

    @Spec
    CommandSpec spec;

    @Option(names = "--output", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path output = Path.of("quickstart-out");

    @Option(names = "--steps", paramLabel = "N", description = "Training steps of 2,048 tokens (default: " + DEFAULT_STEPS + ").")
    long steps = DEFAULT_STEPS;

    @Option(names = "--model-size", paramLabel = "SIZE", description = "tiny (dim 128, 4 layers, 4 heads, 2 kv heads, hidden 352) or small "
            + "(dim 192, 4 layers, 6 heads, 3 kv heads, hidden 512); default: ${DEFAULT-VALUE}.")
    String modelSize = "tiny";

    @Option(names = "--lid-model", paramLabel = "FILE", description = "A fastText language-id model (e.g. lid.176.ftz); default: the embedded Lingua detector.")
    Path lidModel;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for every step (default: all cores). Results do not depend on it.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the held-out split, sampling, initial weights and samples (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--vocab-size", paramLabel = "N", description = "Pieces of the BPE tokenizer (default: ${DEFAULT-VALUE}).")
    int vocabSize = 2048;

    @Option(names = "--documents", paramLabel = "N", description = "Use only N Europarl documents, spread over the corpus (tests, quick looks; default: all).")
    int documents;

    @Override
    public Integer call() throws Exception {
        CliStreams streams = Main.streams(spec);
        PrintStream err = streams.err();
        ModelSize size = switch (modelSize) {
            case "tiny" -> ModelSize.TINY;
            case "small" -> ModelSize.SMALL;
            default -> throw new CliException("--model-size: expected tiny or small, got '" + modelSize + "'");
        };
        if (steps < 1) {
            throw new CliException("--steps: expected 1 or more, got " + steps);
        }
        if (threads < 1) {
            throw new CliException("--threads: expected 1 or more, got " + threads);
        }
        if (documents < 0) {
            throw new CliException("--documents: expected 0 (all) or more, got " + documents);
        }
        if (vocabSize < 300) {
            throw new CliException("--vocab-size: expected at least 300 (256 byte pieces, 3 special and merges), got " + vocabSize);
        }
        if (lidModel != null && !Files.isRegularFile(lidModel)) {
            throw new CliException("--lid-model: no such file: " + lidModel);
        }
        Quickstart.Result result = new Quickstart(new Quickstart.Settings(output, steps, size, lidModel, threads, seed, documents, vocabSize), err).run();
        List<String> summary = Summary.lines(result);
        Report.write(result, summary);
        PrintStream out = new PrintStream(streams.out(), false, StandardCharsets.UTF_8);
        for (String line : summary) {
            out.print(line + "\n");
        }
        out.flush();
        return 0;
    }
}
