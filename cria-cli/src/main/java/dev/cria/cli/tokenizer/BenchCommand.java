package dev.cria.cli.tokenizer;

import dev.cria.cli.CliException;
import dev.cria.cli.CliStreams;
import dev.cria.cli.Main;
import dev.cria.cli.bench.ExternalTool;
import dev.cria.cli.bench.Samples;
import dev.cria.cli.io.AtomicFileOutput;
import dev.cria.data.europarl.Europarl;
import dev.cria.data.europarl.EuroparlDocument;
import dev.cria.tokenizer.Tokenizer;
import dev.cria.tokenizer.TokenizerLoader;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria tokenizer bench}: encode throughput of a tokenizer, single-threaded and in batches over threads,
 * beside SentencePiece's spm_encode on the same input in the same run.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure encode throughput (MB/s): one thread, batches over threads, and spm_encode as the peer.")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--input", paramLabel = "FILE",
            description = "Text to encode, one line per sentence (default: the embedded Europarl corpus, one paragraph per line).")
    Path input;

    @Option(names = "--threads", split = ",", paramLabel = "N,...", description = "Thread counts for batch encoding (default: 1 and all cores).")
    List<Integer> threads;

    @Option(names = "--repetitions", paramLabel = "R", description = "Timed repetitions after one warm-up (default: ${DEFAULT-VALUE}).")
    int repetitions = 5;

    @Option(names = "--no-peer", description = "Skip spm_encode.")
    boolean noPeer;

    @Override
    public Integer call() throws Exception {
        CliStreams streams = Main.streams(spec);
        PrintStream out = new PrintStream(streams.out(), true, StandardCharsets.UTF_8);
        Tokenizer tokenizer = model.load();
        Path text = input;
        Path temporary = null;
        if (text == null) {
            temporary = Files.createTempFile("cria-bench-europarl-", ".txt");
            writeEuroparl(temporary);
            text = temporary;
        }
        try {
            byte[] all = Files.readAllBytes(text);
            List<byte[]> lines = splitLines(all);
            out.printf(Locale.ROOT, "input: %s (%.1f MB, %d lines)%n", input == null ? "embedded Europarl paragraphs" : input,
                    all.length / 1e6, lines.size());
            out.printf(Locale.ROOT, "tokenizer: %s%n", tokenizer.describe());
            out.printf(Locale.ROOT, "machine: %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(), Runtime.version());

            long tokens = 0;
            double[] single = new double[repetitions];
            for (int r = -1; r < repetitions; r++) {
                long start = System.nanoTime();
                long count = 0;
                for (byte[] l : lines) {
                    count += tokenizer.encode(l).length;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (r >= 0) {
                    single[r] = all.length / 1e6 / seconds;
                }
                tokens = count;
            }
            Samples cria = new Samples(single);
            out.printf(Locale.ROOT, "tokens: %d (%.2f bytes per token)%n", tokens, (double) all.length / tokens);
            out.printf(Locale.ROOT, "encode 1 thread (library): %s MB/s%n", cria.format(2));

            double[] cli = new double[repetitions];
            for (int r = -1; r < repetitions; r++) {
                byte[] in = all;
                long start = System.nanoTime();
                int code = Main.run(new CliStreams(new ByteArrayInputStream(in), OutputStream.nullOutputStream(), streams.err()),
                        "tokenizer", "encode", "--model", model.model.toString(), "--threads", "1");
                double seconds = (System.nanoTime() - start) / 1e9;
                if (code != 0) {
                    throw new CliException("cria tokenizer encode failed during the benchmark");
                }
                if (r >= 0) {
                    cli[r] = all.length / 1e6 / seconds;
                }
            }
            Samples criaCli = new Samples(cli);
            out.printf(Locale.ROOT, "encode 1 thread (cria tokenizer encode, ids printed, model load included): %s MB/s%n", criaCli.format(2));

            ExternalTool spmEncode = noPeer ? null : ExternalTool.find("spm_encode");
            boolean spmModel = TokenizerLoader.detect(model.model) == TokenizerLoader.Format.SENTENCEPIECE;
            if (spmEncode != null && spmModel) {
                double[] peer = new double[repetitions];
                for (int r = -1; r < repetitions; r++) {
                    double seconds = spmEncode.time(text, "--model=" + model.model, "--output_format=id");
                    if (r >= 0) {
                        peer[r] = all.length / 1e6 / seconds;
                    }
                }
                Samples spm = new Samples(peer);
                out.printf(Locale.ROOT, "spm_encode 1 thread (%s): %s MB/s%n", spmEncode, spm.format(2));
                out.printf(Locale.ROOT, "ratio cria/spm_encode: library %.2fx, command %.2fx%n",
                        cria.median() / spm.median(), criaCli.median() / spm.median());
            } else if (!noPeer) {
                out.println("spm_encode: not run (" + (spmEncode == null ? "not installed: apt-get install sentencepiece" : "not a SentencePiece .model") + ")");
            }

            List<Integer> counts = threads != null ? threads : List.of(1, Runtime.getRuntime().availableProcessors());
            double base = 0;
            for (int t : counts) {
                Samples batch = batch(tokenizer, lines, all.length, t);
                if (base == 0) {
                    base = batch.median();
                }
                out.printf(Locale.ROOT, "batch encode %d thread%s: %s MB/s (%.2fx)%n", t, t == 1 ? "" : "s", batch.format(2), batch.median() / base);
            }
            return 0;
        } finally {
            if (temporary != null) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    private Samples batch(Tokenizer tokenizer, List<byte[]> lines, long bytes, int threadCount) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threadCount);
        try {
            double[] rates = new double[repetitions];
            int chunk = 512;
            for (int r = -1; r < repetitions; r++) {
                long start = System.nanoTime();
                List<Future<Long>> parts = new ArrayList<>();
                for (int i = 0; i < lines.size(); i += chunk) {
                    int from = i;
                    int to = Math.min(lines.size(), i + chunk);
                    parts.add(pool.submit(() -> {
                        long n = 0;
                        for (int k = from; k < to; k++) {
                            n += tokenizer.encode(lines.get(k)).length;
                        }
                        return n;
                    }));
                }
                for (Future<Long> f : parts) {
                    f.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (r >= 0) {
                    rates[r] = bytes / 1e6 / seconds;
                }
            }
            return new Samples(rates);
        } finally {
            pool.shutdownNow();
        }
    }

    static List<byte[]> splitLines(byte[] all) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                lines.add(java.util.Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        if (start < all.length) {
            lines.add(java.util.Arrays.copyOfRange(all, start, all.length));
        }
        return lines;
    }

    static void writeEuroparl(Path file) throws Exception {
        try (Europarl europarl = Europarl.open(); AtomicFileOutput f = AtomicFileOutput.create(file)) {
            for (EuroparlDocument d : europarl) {
                for (String p : d.paragraphs()) {
                    f.stream().write(p.getBytes(StandardCharsets.UTF_8));
                    f.stream().write('\n');
                }
            }
            f.commit();
        }
    }
}
