package dev.cria.data.engine;

import dev.cria.data.Document;
import dev.cria.data.read.BadRecord;
import dev.cria.data.read.DocumentReader;
import dev.cria.data.read.ReadReport;
import dev.cria.data.recipe.PlannedStage;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.StageContext;
import dev.cria.data.write.ShardWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs a {@link RunPlan} on this machine: one worker thread per core (or as asked), one shard per task, documents
 * streamed one at a time, so memory is bounded by the workers' stage state and the largest document, not by the input.
 *
 * <p>Per-document stages run in recipe order. A global stage splits the run into passes: pass k reads every shard
 * through the stages before global stage k, {@linkplain GlobalStage#observe observes} the survivors into one summary per
 * shard (saved under {@code .cria-run/}), merges the summaries in shard order and {@linkplain GlobalStage#decide
 * decides}; the last pass runs the whole chain and writes. So the result does not depend on thread timing.
 *
 * <p>Output shard {@code part-N} holds the documents of input shard N that survived, in input order, written to a
 * temporary name and renamed. The {@link Manifest} records finished shards; a killed run started again with the same
 * plan and output folder skips them (and saved summaries) and produces the same files as an uninterrupted run.
 */
public final class LocalEngine {
    /** Per-pass global-stage summaries, kept until the run completes so a resumed run need not redo them. */
    public static final String WORK_DIR = ".cria-run";

    private final RunPlan plan;
    private final Path out;
    private final int threads;
    private final RunProgress progress;

    /** @param threads worker threads; 0 = all cores */
    public LocalEngine(RunPlan plan, Path outputDir, int threads, RunProgress progress) {
        this.plan = plan;
        this.out = outputDir.toAbsolutePath().normalize();
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.progress = progress;
    }

    /** What a finished run reports. {@code resumedShards}: shards a previous run had finished. */
    public record Result(Funnel funnel, int shards, int resumedShards, List<String> files, Path funnelJson, Path funnelHtml) {
    }

    public Result run() throws IOException, InterruptedException {
        Files.createDirectories(out);
        Manifest manifest = Manifest.open(out, plan.fingerprint());
        manifest.save();
        sweepTemporaries();
        int resumed = (int) plan.shards().stream().filter(s -> manifest.isDone(s.index())).count();
        StageContext context = new StageContext(plan.recipeDir(), plan.seed());
        List<Decisions> chain = new ArrayList<>();
        long globals = plan.stages().stream().filter(p -> p instanceof PlannedStage.Global).count();
        int pass = 0;
        boolean allDone = resumed == plan.shards().size();
        try {
            if (!allDone) {
                for (PlannedStage p : plan.stages()) {
                    switch (p) {
                        case PlannedStage.PerDocument d -> {
                            d.stage().open(context);
                            chain.add(new Decisions.Fixed(d.stage()));
                        }
                        case PlannedStage.Global g -> {
                            pass++;
                            chain.add(globalPass(g.stage(), List.copyOf(chain), pass, (int) globals + 1, context));
                        }
                    }
                }
                writePass(chain, manifest, (int) globals + 1);
            }
        } finally {
            progress.done();
        }
        Funnel funnel = Funnel.empty();
        List<String> files = new ArrayList<>();
        for (InputShard s : plan.shards()) {
            Manifest.ShardEntry e = manifest.get(s.index());
            funnel = funnel.plus(e.funnel());
            files.addAll(e.files());
        }
        Path json = out.resolve(FunnelReport.JSON_FILE);
        Path html = out.resolve(FunnelReport.HTML_FILE);
        FunnelReport.writeJson(funnel, json);
        FunnelReport.writeHtml(funnel, html);
        deleteTree(out.resolve(WORK_DIR));
        return new Result(funnel, plan.shards().size(), resumed, files, json, html);
    }

    /** Pass {@code pass}: saves every shard's summary (those not saved by an earlier run), returns the decisions. */
    private <S extends Serializable> Decisions globalPass(GlobalStage<S> stage, List<Decisions> before, int pass, int passes,
            StageContext context) throws IOException, InterruptedException {
        Path dir = out.resolve(WORK_DIR).resolve(String.format(Locale.ROOT, "pass-%d-%s", pass, safe(stage.name())));
        Files.createDirectories(dir);
        progress.phase(String.format(Locale.ROOT, "pass %d/%d %s", pass, passes, stage.name()), totalBytes());
        List<InputShard> todo = new ArrayList<>();
        for (InputShard s : plan.shards()) {
            if (Files.exists(Decisions.summaryFile(dir, s))) {
                progress.advance(s.length(), 0);
            } else {
                todo.add(s);
            }
        }
        runAll(todo, before, (shard, chain) -> {
            List<S> holder = new ArrayList<>(List.of(stage.emptySummary()));
            process(shard, chain, null, d -> holder.set(0, stage.observe(holder.getFirst(), d)));
            writeSummary(Decisions.summaryFile(dir, shard), holder.getFirst());
        });
        return new Decisions.Grouped<>(stage, dir, plan.shards(), context);
    }

    private void writePass(List<Decisions> stages, Manifest manifest, int passes) throws IOException, InterruptedException {
        progress.phase(passes > 1 ? String.format(Locale.ROOT, "pass %d/%d write", passes, passes) : "write", totalBytes());
        List<InputShard> todo = new ArrayList<>();
        for (InputShard s : plan.shards()) {
            if (manifest.isDone(s.index())) {
                progress.advance(s.length(), 0);
            } else {
                todo.add(s);
            }
        }
        runAll(todo, stages, (shard, chain) -> {
            List<Funnel.StageTally> tallies = new ArrayList<>();
            for (int i = 0; i < chain.size(); i++) {
                PlannedStage p = plan.stages().get(i);
                tallies.add(new Funnel.StageTally(p.name(), p instanceof PlannedStage.Global ? "global" : "document"));
            }
            long[] written = new long[2];
            try (ShardWriter writer = new ShardWriter(out, shard.index(), plan.format(), plan.partition())) {
                Funnel.SourceFunnel read = process(shard, chain, tallies, d -> {
                    try {
                        writer.write(d);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    written[0]++;
                    written[1] += d.textBytes();
                });
                List<String> files = writer.commit();
                Funnel funnel = new Funnel(List.of(read), tallies.stream().map(Funnel.StageTally::freeze).toList(),
                        new Funnel.Count(written[0], written[1]));
                manifest.done(shard.index(), new Manifest.ShardEntry(shard.describe(), files, funnel));
            }
        });
    }

    /**
     * Reads one shard through {@code chain}; {@code sink} gets the survivors. With {@code tallies} null nothing is
     * counted (a summary pass).
     */
    private Funnel.SourceFunnel process(InputShard shard, List<DocumentStage> chain, List<Funnel.StageTally> tallies,
            Consumer<Document> sink) throws IOException {
        long textBytes = 0;
        long reported = 0;
        long pendingDocs = 0;
        DocumentReader opened;
        try {
            opened = shard.open();
        } catch (NoSuchFileException | AccessDeniedException e) {
            throw e;
        } catch (IOException e) {
            // A corrupt file is one bad record of the source, not the end of a long run.
            progress.advance(shard.length(), 0);
            return Funnel.SourceFunnel.of(shard.source(), shard.start() == 0 ? 1 : 0, ReadReport.unreadable(new BadRecord(
                    shard.file().toString(), shard.start(), "byte", "unreadable_file", e.getMessage())), shard.length(), 0);
        }
        try (DocumentReader reader = opened) {
            Document d;
            while ((d = reader.next()) != null) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("run interrupted while reading " + shard.describe());
                }
                long bytes = d.textBytes();
                textBytes += bytes;
                Document current = d;
                for (int i = 0; i < chain.size() && current != null; i++) {
                    DocumentStage stage = chain.get(i);
                    Funnel.StageTally t = tallies == null ? null : tallies.get(i);
                    if (t != null) {
                        t.inDocs++;
                        t.inBytes += bytes;
                    }
                    Outcome outcome;
                    try {
                        outcome = stage.apply(current);
                    } catch (RuntimeException e) {
                        throw new IllegalStateException("stage " + stage.name() + " failed on document " + current.id()
                                + " of " + shard.describe() + ": " + e, e);
                    }
                    switch (outcome) {
                        case Outcome.Keep k -> {
                            // Identity, not equality: a stage that left the text alone returns the same String.
                            if (k.document().text() != current.text()) {
                                bytes = k.document().textBytes();
                            }
                            current = k.document();
                            if (t != null) {
                                t.keptDocs++;
                                t.keptBytes += bytes;
                            }
                        }
                        case Outcome.Drop drop -> {
                            if (t != null) {
                                long[] c = t.dropped.computeIfAbsent(drop.reason(), r -> new long[2]);
                                c[0]++;
                                c[1] += bytes;
                            }
                            current = null;
                        }
                    }
                }
                if (current != null) {
                    sink.accept(current);
                }
                pendingDocs++;
                if (pendingDocs == 64) {
                    long now = Math.min(reader.report().bytesRead(), shard.length());
                    progress.advance(now - reported, pendingDocs);
                    reported = now;
                    pendingDocs = 0;
                }
            }
            ReadReport report = reader.report();
            progress.advance(shard.length() - reported, pendingDocs);
            return Funnel.SourceFunnel.of(shard.source(), shard.start() == 0 ? 1 : 0, report,
                    shard.sliced() ? shard.length() : report.bytesRead(), textBytes);
        }
    }

    private interface ShardTask {
        void run(InputShard shard, List<DocumentStage> chain) throws IOException;
    }

    /**
     * Runs {@code task} on every shard on the worker pool, with the chain of stages for that shard; the first failure
     * cancels the others and is thrown.
     */
    private void runAll(List<InputShard> shards, List<Decisions> stages, ShardTask task) throws IOException, InterruptedException {
        if (shards.isEmpty()) {
            return;
        }
        for (Decisions d : stages) {
            d.beginPass(shards);
        }
        AtomicInteger workerId = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, shards.size()), r -> {
            Thread t = new Thread(r, "cria-data-" + workerId.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (InputShard s : shards) {
                futures.add(pool.submit(() -> {
                    List<DocumentStage> chain = new ArrayList<>(stages.size());
                    try {
                        for (Decisions d : stages) {
                            chain.add(d.acquire(s));
                        }
                        task.run(s, chain);
                    } finally {
                        for (Decisions d : stages) {
                            d.release(s);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof UncheckedIOException u) {
                        cause = u.getCause();
                    }
                    switch (cause) {
                        case IOException io -> throw io;
                        case RuntimeException r -> throw r;
                        case Error err -> throw err;
                        default -> throw new IllegalStateException(cause);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("workers did not stop within a minute of the run ending");
            }
        }
    }

    private long totalBytes() {
        return plan.shards().stream().mapToLong(InputShard::length).sum();
    }

    private static void writeSummary(Path file, Serializable summary) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try (ObjectOutputStream o = new ObjectOutputStream(new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16))) {
            o.writeObject(summary);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes temporaries a killed run left (files named {@code .*.tmp}), outside the work folder. */
    private void sweepTemporaries() throws IOException {
        try (Stream<Path> s = Files.walk(out, 2)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") && n.endsWith(".tmp") && !p.startsWith(out.resolve(WORK_DIR))) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
