package dev.cria.cli.data;

import dev.cria.cli.CliException;
import dev.cria.cli.Main;
import dev.cria.data.mixture.Mixture;
import dev.cria.data.tokenize.MixtureTokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cria data tokenize RUN_DIR... --output DIR}: the step after {@code cria data run}. Trains a SentencePiece BPE
 * tokenizer with LLaMA's options on a sample of the mixture, plans each source's tokens by LLaMA's Table 1
 * proportions, and writes the documents, repeated or subsampled to their epochs, as the trainer's token shards
 * ({@code train-N.tok}), with {@code tokenizer.model} and {@code tokens.json} (planned vs produced tokens per source).
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Train a tokenizer on the mixture and write token shards for cria train, with Table 1's proportions.")
public final class TokenizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Output folders of cria data run (their part-N.jsonl.gz), or shard files.")
    List<Path> inputs;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Folder for tokenizer.model, train-N.tok, tokens.json.")
    Path output;

    @Option(names = "--vocab-size", paramLabel = "N", description = "Tokenizer pieces (default: ${DEFAULT-VALUE}, LLaMA's).")
    int vocabSize = 32000;

    @Option(names = "--sample-chars", paramLabel = "N", description = "Characters of the mixture the tokenizer learns from (default: ${DEFAULT-VALUE}).")
    long sampleChars = 20_000_000;

    @Option(names = "--budget", paramLabel = "TOKENS", description = "Tokens to produce; 0 (default): the corpus's own size.")
    long budget;

    @Option(names = "--seed", paramLabel = "N", description = "Decides which fractional epochs get an extra copy (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Encoding workers (default: all cores).")
    int threads;

    @Override
    public Integer call() throws IOException {
        PrintStream err = Main.streams(spec).err();
        if (vocabSize < 300) {
            throw new CliException("--vocab-size: expected at least 300 (259 byte and control pieces come first), got " + vocabSize);
        }
        List<Path> shards;
        try {
            shards = MixtureTokenizer.documentShards(inputs);
        } catch (IOException e) {
            throw new CliException(e.getMessage(), e);
        }
        long start = System.nanoTime();
        MixtureTokenizer.Report r = MixtureTokenizer.run(shards, output,
                new MixtureTokenizer.Options(Mixture.llama(), vocabSize, sampleChars, budget, seed, threads), err);
        double seconds = (System.nanoTime() - start) / 1e9;
        for (MixtureTokenizer.SourceTokens s : r.sources().values()) {
            err.printf(Locale.ROOT, "  %-14s planned %,14d  produced %,14d  epochs %.2f%n", s.source(), s.plannedTokens(),
                    s.producedTokens(), s.epochs());
        }
        err.printf(Locale.ROOT, "tokenize: %,d tokens in %d shards in %s (%.1f s; encoding %.1f MB/s)%n", r.producedTokens(),
                r.shards().size(), output, seconds, r.encodedBytes() / 1e6 / Math.max(1e-9, r.encodeSeconds()));
        return 0;
    }
}
