package dev.cria.cli.data;

import dev.cria.cli.CliStreams;
import dev.cria.cli.Main;
import dev.cria.data.lm.ByteLines;
import dev.cria.data.lm.NgramModel;
import dev.cria.data.lm.QueryScorer;
import dev.cria.data.lm.ShortestDecimal;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria data lm score}: KenLM {@code query}'s totals. Per input line {@code T<TAB>N}: the line's log10
 * probability with {@code </s>} (summed in float, printed as the shortest decimal that reads back to it) and its
 * out-of-vocabulary count; then {@code perplexity: P} and {@code perplexity_excluding_oov: Q} over all lines.
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = {"Score text with an ARPA n-gram model as KenLM's query does.",
            "Prints per line: total log10 probability (with </s>) TAB OOV count; then perplexity: P and "
                    + "perplexity_excluding_oov: Q."})
public final class LmScoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "ARPA", description = "The model: an ARPA file (.gz allowed).")
    Path model;

    @Option(names = "--input", paramLabel = "FILE", description = "Read lines from FILE instead of standard input.")
    Path input;

    @Override
    public Integer call() throws IOException {
        CliStreams streams = Main.streams(spec);
        long t0 = System.nanoTime();
        NgramModel lm = NgramModel.readArpa(model);
        long t1 = System.nanoTime();
        QueryScorer scorer = new QueryScorer(lm);
        long lines;
        if (input == null) {
            lines = score(scorer, streams.in(), streams.out());
        } else {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(input), 1 << 16)) {
                lines = score(scorer, in, streams.out());
            }
        }
        OutputStream out = streams.out();
        out.write(("perplexity: " + ShortestDecimal.of(scorer.perplexity()) + "\n"
                + "perplexity_excluding_oov: " + ShortestDecimal.of(scorer.perplexityExcludingOov()) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        long t2 = System.nanoTime();
        double seconds = (t2 - t1) / 1e9;
        streams.err().printf(Locale.ROOT, "lm score: %d-gram model loaded in %.2f s; %d lines, %d tokens, %d OOVs scored in %.2f s (%.0f lines/s)%n",
                lm.order(), (t1 - t0) / 1e9, lines, scorer.corpusTokens(), scorer.corpusOov(), seconds, lines / Math.max(seconds, 1e-9));
        return 0;
    }

    /** Scores every line of {@code in}, writing {@code T<TAB>N} lines; returns the number of lines. */
    static long score(QueryScorer scorer, InputStream in, OutputStream out) throws IOException {
        ByteLines lines = new ByteLines(in);
        byte[] buf = new byte[1 << 16];
        int n = 0;
        long count = 0;
        while (lines.next()) {
            scorer.scoreLine(lines.buffer(), lines.start(), lines.end());
            count++;
            if (n > buf.length - 64) {
                out.write(buf, 0, n);
                n = 0;
            }
            n = ShortestDecimal.write(scorer.lineTotal(), buf, n);
            buf[n++] = '\t';
            n = writeInt(scorer.lineOov(), buf, n);
            buf[n++] = '\n';
        }
        out.write(buf, 0, n);
        return count;
    }

    private static int writeInt(int v, byte[] buf, int n) {
        if (v == 0) {
            buf[n++] = '0';
            return n;
        }
        int digits = 0;
        for (int x = v; x > 0; x /= 10) {
            digits++;
        }
        for (int i = n + digits - 1; i >= n; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return n + digits;
    }
}
