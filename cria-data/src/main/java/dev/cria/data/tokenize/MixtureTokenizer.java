package dev.cria.data.tokenize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cria.data.Document;
import dev.cria.data.mixture.Mixture;
import dev.cria.data.read.DocumentReader;
import dev.cria.data.read.ReaderKind;
import dev.cria.tokenizer.shard.TokenShardWriter;
import dev.cria.tokenizer.spm.ModelProto;
import dev.cria.tokenizer.spm.NormalizerSpec;
import dev.cria.tokenizer.spm.SentencePieceModel;
import dev.cria.tokenizer.spm.TrainerSpec;
import dev.cria.tokenizer.train.LineSource;
import dev.cria.tokenizer.train.SentencePieceTrainer;
import dev.cria.tokenizer.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Turns the cleaned documents of a {@code cria data run} (its {@code part-N.jsonl.gz|zst} shards) into the token
 * shards the trainer reads (DATA-RULES §1, §9, §10):
 * <ol>
 *   <li>a SentencePiece BPE tokenizer is trained with LLaMA's options (split digits, byte fallback; §9) on a sample of
 *       the mixture: each source contributes lines in proportion to its Table 1 share, up to {@code sampleChars};</li>
 *   <li>every document is encoded, in parallel over the input shards, to count each source's unique tokens;</li>
 *   <li>{@link Mixture#plan} turns them and the token budget into each source's target tokens and epochs;</li>
 *   <li>every document is encoded again and written {@link Mixture#copies} times (floor(epochs), plus one more with the
 *       fractional part's probability, by a hash of the seed and the document id) into {@code train-N.tok}, one per
 *       input shard (none where every document was sampled away), in the trainer's format ({@link TokenShardWriter}: BOS ids… EOS, written atomically);</li>
 *   <li>{@code tokens.json}, written last, reports planned and produced tokens per source.</li>
 * </ol>
 * The output is the same for the same inputs, options and seed, whatever the thread count.
 */
public final class MixtureTokenizer {

    /**
     * @param vocabSize pieces of the tokenizer (LLaMA: 32,000)
     * @param sampleChars characters of text the tokenizer is trained on, shared between the sources by the mixture
     * @param budgetTokens tokens to produce in total; 0: as many as the corpus holds (the sum of unique tokens)
     * @param seed decides which fractional epochs get their extra copy
     * @param threads encoding workers
     */
    public record Options(Mixture mixture, int vocabSize, long sampleChars, long budgetTokens, long seed, int threads) {
    }

    /** One source's line of the report. */
    public record SourceTokens(String source, double proportion, long documents, long uniqueTokens, long plannedTokens,
            double epochs, long producedTokens) {
    }

    /** What was written. */
    public record Report(Path tokenizer, List<Path> shards, Map<String, SourceTokens> sources, long producedTokens,
            double encodeSeconds, long encodedBytes) {
    }

    private MixtureTokenizer() {
    }

    /** The documents shards of a run's output folders (recursively), in path order. */
    public static List<Path> documentShards(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isRegularFile(in)) {
                files.add(in);
                continue;
            }
            try (var walk = Files.walk(in)) {
                walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().matches("part-\\d+\\.jsonl(\\.gz|\\.zst)?"))
                        .sorted().forEach(files::add);
            }
        }
        if (files.isEmpty()) {
            throw new IOException("no document shards (part-N.jsonl.gz) under " + inputs);
        }
        return files;
    }

    public static Report run(List<Path> shards, Path out, Options o, PrintStream log) throws IOException {
        Files.createDirectories(out);
        Path tokenizer = out.resolve("tokenizer.model");
        List<String> sample = sample(shards, o);
        log.printf(Locale.ROOT, "tokenize: training a %,d-piece BPE tokenizer (LLaMA's options) on %,d lines of the mixture%n",
                o.vocabSize(), sample.size());
        TrainerSpec trainer = new TrainerSpec();
        NormalizerSpec normalizer = new NormalizerSpec();
        SentencePieceTrainer.applyLlamaOptions(trainer, normalizer);
        trainer.values().set("vocab_size", o.vocabSize());
        trainer.values().set("model_prefix", "tokenizer");
        SentencePieceTrainer.setAllFlags(trainer, normalizer);
        ModelProto proto = SentencePieceTrainer.train(LineSource.of("mixture sample", sample), trainer, normalizer,
                SentencePieceTrainer.DEFAULT_SEED ^ o.seed(), TrainingListener.QUIET).model();
        Path temp = out.resolve(".tokenizer.model.tmp");
        proto.write(temp);
        Files.move(temp, tokenizer, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        SentencePieceModel spm = SentencePieceModel.load(tokenizer);

        // Pass 1: unique tokens per source (BOS and EOS included: they are what a document costs in a shard).
        long t0 = System.nanoTime();
        List<Map<String, long[]>> counts = parallel(shards, o.threads(), shard -> {
            Map<String, long[]> c = new TreeMap<>();
            forEachDocument(shard, d -> {
                long[] n = c.computeIfAbsent(d.source(), s -> new long[3]);
                byte[] utf8 = d.text().getBytes(StandardCharsets.UTF_8);
                n[0]++;
                n[1] += spm.encode(utf8, 0, utf8.length).length + 2;
                n[2] += utf8.length;
            });
            return c;
        });
        double encodeSeconds = (System.nanoTime() - t0) / 1e9;
        Map<String, long[]> bySource = new TreeMap<>();
        for (Map<String, long[]> c : counts) {
            c.forEach((s, n) -> {
                long[] total = bySource.computeIfAbsent(s, k -> new long[3]);
                for (int i = 0; i < 3; i++) {
                    total[i] += n[i];
                }
            });
        }
        Map<String, Long> unique = new LinkedHashMap<>();
        long encodedBytes = 0;
        for (var e : bySource.entrySet()) {
            unique.put(e.getKey(), e.getValue()[1]);
            encodedBytes += e.getValue()[2];
        }
        long budget = o.budgetTokens() > 0 ? o.budgetTokens() : unique.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Mixture.SourcePlan> plan = o.mixture().plan(unique, budget);
        for (Mixture.SourcePlan p : plan.values()) {
            log.printf(Locale.ROOT, "tokenize: %-14s %,14d unique tokens  plan %,14d  epochs %.2f%n", p.source(), p.uniqueTokens(),
                    p.targetTokens(), p.epochs());
        }

        // Pass 2: the mixture itself, one token shard per document shard.
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            written.add(out.resolve(String.format(Locale.ROOT, "train-%05d.tok", i)));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            order.add(i);
        }
        List<Map<String, Long>> produced = parallel(order, o.threads(), i -> {
            Map<String, Long> p = new TreeMap<>();
            try (TokenShardWriter w = TokenShardWriter.create(written.get(i), spm.vocabSize(), spm.bosId(), spm.eosId())) {
                forEachDocument(shards.get(i), d -> {
                    Mixture.SourcePlan sp = plan.get(d.source());
                    int copies = Mixture.copies(sp.epochs(), o.seed(), d.source(), d.id());
                    if (copies == 0) {
                        return;
                    }
                    byte[] utf8 = d.text().getBytes(StandardCharsets.UTF_8);
                    int[] ids = spm.encode(utf8, 0, utf8.length);
                    try {
                        for (int c = 0; c < copies; c++) {
                            w.addDocument(ids);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    p.merge(d.source(), (long) copies * (ids.length + 2), Long::sum);
                });
                w.commit();
            }
            if (p.isEmpty()) {
                // Every document of this shard was sampled away: no shard rather than an empty one.
                Files.delete(written.get(i));
            }
            return p;
        });
        List<Path> kept = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            if (!produced.get(i).isEmpty()) {
                kept.add(written.get(i));
            }
        }
        Map<String, Long> producedBySource = new TreeMap<>();
        produced.forEach(m -> m.forEach((s, n) -> producedBySource.merge(s, n, Long::sum)));
        Map<String, SourceTokens> lines = new LinkedHashMap<>();
        long total = 0;
        for (Mixture.SourcePlan p : plan.values()) {
            long made = producedBySource.getOrDefault(p.source(), 0L);
            total += made;
            lines.put(p.source(), new SourceTokens(p.source(), p.proportion(), bySource.get(p.source())[0], p.uniqueTokens(),
                    p.targetTokens(), p.epochs(), made));
        }
        Report report = new Report(tokenizer, kept, lines, total, encodeSeconds, encodedBytes);
        writeReport(out, report, budget);
        return report;
    }

    /** Lines for the tokenizer: each source's share of {@code sampleChars}, taken from its first documents in shard order. */
    static List<String> sample(List<Path> shards, Options o) throws IOException {
        Map<String, Long> taken = new TreeMap<>();
        double total = o.mixture().proportions().values().stream().mapToDouble(Double::doubleValue).sum();
        List<String> lines = new ArrayList<>();
        for (Path shard : shards) {
            forEachDocument(shard, d -> {
                double share = o.mixture().proportions().getOrDefault(d.source(), 0.0) / total;
                // A source outside the mixture still lends a little text, so its characters get pieces.
                long quota = Math.max(o.sampleChars() / 100, (long) (share * o.sampleChars()));
                long used = taken.getOrDefault(d.source(), 0L);
                if (used >= quota) {
                    return;
                }
                for (String line : d.text().split("\n")) {
                    if (!line.isBlank()) {
                        lines.add(line);
                        used += line.length();
                    }
                }
                taken.put(d.source(), used);
            });
        }
        return lines;
    }

    private static void forEachDocument(Path shard, Consumer<Document> action) {
        try (DocumentReader r = ReaderKind.JSONL.open(shard, "unknown", Map.of())) {
            Document d;
            while ((d = r.next()) != null) {
                action.accept(d);
            }
            if (r.report().badCount() > 0) {
                throw new IOException(shard + ": " + r.report().badExamples().getFirst().describe());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Work<T, R> {
        R apply(T item) throws IOException;
    }

    /** Applies {@code work} to every item on {@code threads} workers; results in item order. */
    private static <T, R> List<R> parallel(List<T> items, int threads, Work<T, R> work) throws IOException {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(n, items.size())));
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> work.apply(item)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("tokenize interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void writeReport(Path out, Report r, long budget) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tokenizer", r.tokenizer().getFileName().toString());
        json.put("budget_tokens", budget);
        json.put("produced_tokens", r.producedTokens());
        json.put("shards", r.shards().stream().map(p -> p.getFileName().toString()).toList());
        Map<String, Object> sources = new LinkedHashMap<>();
        for (SourceTokens s : r.sources().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("proportion", s.proportion());
            m.put("documents", s.documents());
            m.put("unique_tokens", s.uniqueTokens());
            m.put("planned_tokens", s.plannedTokens());
            m.put("epochs", s.epochs());
            m.put("produced_tokens", s.producedTokens());
            sources.put(s.source(), m);
        }
        json.put("sources", sources);
        Path temp = out.resolve(".tokens.json.tmp");
        Files.write(temp, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json));
        Files.move(temp, out.resolve("tokens.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
