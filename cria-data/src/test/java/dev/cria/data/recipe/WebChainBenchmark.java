package dev.cria.data.recipe;

import dev.cria.data.Document;
import dev.cria.data.lid.LanguageIdStage;
import dev.cria.data.lm.PerplexityStage;
import dev.cria.data.lm.SampledPerplexityBuckets;
import dev.cria.data.read.DocumentReader;
import dev.cria.data.read.ReaderKind;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.StageContext;
import dev.cria.data.stage.basic.LengthFilter;
import dev.cria.data.stage.ccnet.LineDedup;
import dev.cria.data.stage.dedup.C4LineDedup;
import dev.cria.data.stage.dedup.C4UrlDedup;
import dev.cria.data.stage.filter.C4BadWords;
import dev.cria.data.stage.filter.C4Quality;
import dev.cria.data.stage.filter.C4Split;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MB/s per core of the CCNet chain and of the C4 filters against merely reading and decompressing the same WET input
 * (docs/benchmarks-data.md). Everything runs on the test thread and is timed in that thread's CPU time, so other
 * processes on a loaded machine do not count; the medians of {@value #REPS} repetitions are printed.
 *
 * <p>Input: every line of {@code lm/train.txt} and {@code lm/test.txt} (Peter Pan) and the texts of
 * {@code ccnet_output}, cut into pages of 30 lines, each page a WET conversion record with a navigation line shared
 * by all pages, written gzip per record as Common Crawl does, repeated with distinct URLs to about 8 MB uncompressed.
 * Repeats of the book make every book line a duplicate after the first copy, so the input is {@value #COPIES} copies
 * with each copy's lines tagged by a word: line dedup then removes only the navigation line and the few lines the
 * book itself repeats, as on real pages where most lines are unique.
 */
@Tag("benchmark")
class WebChainBenchmark {
    private static final int REPS = 5;
    private static final int COPIES = 6;
    /** Words, not numbers: CCNet's normalization turns every digit into 0, so numbered copies would be duplicates. */
    private static final List<String> COPY_TAGS = List.of("Alpha:", "Bravo:", "Charlie:", "Delta:", "Echo:", "Foxtrot:");
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    @TempDir
    Path tmp;

    @Test
    void ccnetChainAndC4FiltersAgainstReading() throws Exception {
        Path wetGz = tmp.resolve("bench.warc.wet.gz");
        long raw = buildWet(wetGz);
        Path models = WebRecipeModels.english(Files.createDirectories(tmp.resolve("models")), 3000);
        StageContext context = new StageContext(tmp, 0);
        System.out.printf(Locale.ROOT, "input: %.1f MB gzip per record, %.1f MB uncompressed%n", Files.size(wetGz) / 1e6, raw / 1e6);

        LengthFilter minLen = new LengthFilter("min_len", 300, Long.MAX_VALUE);
        LanguageIdStage lid = new LanguageIdStage(SharedData.file("lid/lid.176.ftz").toString(), List.of("en"), 0.5);
        lid.open(context);
        PerplexityStage perplexity = new PerplexityStage(Map.of("en", new PerplexityStage.LanguageModel(
                models.resolve("en.sp.model").toString(), models.resolve("en.arpa").toString())));
        perplexity.open(context);
        LengthFilter length = new LengthFilter("length", 0, 190_000);
        C4Quality quality = new C4Quality();
        LanguageIdStage lid99 = new LanguageIdStage(SharedData.file("lid/lid.176.ftz").toString(), List.of("en"), 0.99);
        lid99.open(context);
        C4BadWords badWords = new C4BadWords(SharedData.file("samples/c4_badwords/en_c4_pinned_25e679f").toString(), "en");
        badWords.open(context);
        C4Split split = new C4Split("url");

        Map<String, double[]> t = new LinkedHashMap<>();
        for (int rep = -1; rep < REPS; rep++) {
            int r = rep;
            List<Document> ccnet = new ArrayList<>();
            time(t, "gunzip, bytes only", r, () -> drain(wetGz));
            time(t, "read ccnet", r, () -> read(wetGz, "ccnet", ccnet));
            List<Document> c4 = new ArrayList<>();
            time(t, "read c4", r, () -> read(wetGz, "c4", c4));

            List<Document> d1 = apply(t, "min_len", r, minLen, ccnet);
            DocumentStage dedup = global(t, "line_dedup", r, new LineDedup(50), d1);
            List<Document> d2 = apply(t, "line_dedup apply", r, dedup, d1);
            List<Document> d3 = apply(t, "lid", r, lid, d2);
            List<Document> d4 = apply(t, "perplexity", r, perplexity, d3);
            DocumentStage buckets = global(t, "buckets", r, new SampledPerplexityBuckets(), d4);
            buckets.open(context);
            apply(t, "buckets apply", r, buckets, d4);

            List<Document> c1 = apply(t, "length", r, length, c4);
            DocumentStage urls = global(t, "c4_url_dedup", r, new C4UrlDedup(), c1);
            List<Document> c2 = apply(t, "c4_url_dedup apply", r, urls, c1);
            List<Document> c3 = apply(t, "c4_quality", r, quality, c2);
            DocumentStage lines = global(t, "c4_line_dedup", r, new C4LineDedup(), c3);
            List<Document> c5 = apply(t, "c4_line_dedup apply", r, lines, c3);
            List<Document> c6 = apply(t, "lid 0.99", r, lid99, c5);
            List<Document> c7 = apply(t, "c4_badwords", r, badWords, c6);
            apply(t, "c4_split", r, split, c7);
            if (rep == 0) {
                System.out.printf(Locale.ROOT, "documents: ccnet %d → %d → %d → %d; c4 %d → %d → %d → %d → %d%n", ccnet.size(),
                        d2.size(), d3.size(), d4.size(), c4.size(), c3.size(), c5.size(), c6.size(), c7.size());
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        t.forEach((k, v) -> {
            double[] s = v.clone();
            Arrays.sort(s);
            m.put(k, s[REPS / 2]);
        });
        System.out.println("| step | CPU ms (median) | MB/s of uncompressed WET per CPU second |");
        System.out.println("|---|---|---|");
        m.forEach((k, s) -> System.out.printf(Locale.ROOT, "| %s | %.0f | %.1f |%n", k, s * 1e3, raw / 1e6 / s));
        double ccnetStages = m.get("min_len") + m.get("line_dedup") + m.get("line_dedup apply") + m.get("lid") + m.get("perplexity")
                + m.get("buckets") + m.get("buckets apply");
        double c4Stages = m.get("length") + m.get("c4_url_dedup") + m.get("c4_url_dedup apply") + m.get("c4_quality")
                + m.get("c4_line_dedup") + m.get("c4_line_dedup apply") + m.get("lid 0.99") + m.get("c4_badwords") + m.get("c4_split");
        // The engine re-reads the input once per pass (3 passes each) and re-runs the stages before each global stage.
        double ccnetEngine = 3 * (m.get("read ccnet") + m.get("min_len")) + m.get("line_dedup")
                + 2 * (m.get("line_dedup apply") + m.get("lid") + m.get("perplexity")) + m.get("buckets") + m.get("buckets apply");
        // With a cutoff CSV (perplexity_bucket) instead of sampled cutoffs: 2 passes, LID and perplexity once.
        double ccnetEngineCsv = 2 * (m.get("read ccnet") + m.get("min_len")) + m.get("line_dedup") + m.get("line_dedup apply")
                + m.get("lid") + m.get("perplexity") + m.get("buckets apply");
        double c4Engine = 3 * (m.get("read c4") + m.get("length")) + m.get("c4_url_dedup") + 2 * (m.get("c4_url_dedup apply")
                + m.get("c4_quality")) + m.get("c4_line_dedup") + m.get("c4_line_dedup apply") + m.get("lid 0.99")
                + m.get("c4_badwords") + m.get("c4_split");
        System.out.println("| chain | MB/s per core | relative to reading |");
        System.out.println("|---|---|---|");
        summary("read + decompress (ccnet text)", raw, m.get("read ccnet"), m.get("read ccnet"));
        summary("CCNet chain, one pass (read + stages)", raw, m.get("read ccnet") + ccnetStages, m.get("read ccnet"));
        summary("CCNet chain as the engine runs it (3 passes)", raw, ccnetEngine, m.get("read ccnet"));
        summary("CCNet chain with a cutoff CSV as the engine runs it (2 passes)", raw, ccnetEngineCsv, m.get("read ccnet"));
        summary("read + decompress (c4 text)", raw, m.get("read c4"), m.get("read c4"));
        summary("C4 filters, one pass (read + stages)", raw, m.get("read c4") + c4Stages, m.get("read c4"));
        summary("C4 filters as the engine runs them (3 passes)", raw, c4Engine, m.get("read c4"));
    }

    private static void summary(String what, long raw, double seconds, double readSeconds) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.2f |%n", what, raw / 1e6 / seconds, readSeconds / seconds);
    }

    private interface Work {
        void run() throws Exception;
    }

    private static void time(Map<String, double[]> t, String what, int rep, Work work) throws Exception {
        long start = CPU.getCurrentThreadCpuTime();
        work.run();
        long ns = CPU.getCurrentThreadCpuTime() - start;
        if (rep >= 0) {
            t.computeIfAbsent(what, k -> new double[REPS])[rep] = ns / 1e9;
        }
    }

    private static List<Document> apply(Map<String, double[]> t, String what, int rep, DocumentStage stage, List<Document> in)
            throws Exception {
        List<Document> out = new ArrayList<>(in.size());
        time(t, what, rep, () -> {
            for (Document d : in) {
                if (stage.apply(d) instanceof Outcome.Keep k) {
                    out.add(k.document());
                }
            }
        });
        return out;
    }

    /** Observes every document into one summary and decides (one shard: the merge is the identity). */
    private static <S extends Serializable> DocumentStage global(Map<String, double[]> t, String what, int rep,
            GlobalStage<S> stage, List<Document> in) throws Exception {
        DocumentStage[] decided = new DocumentStage[1];
        time(t, what, rep, () -> {
            S summary = stage.emptySummary();
            for (Document d : in) {
                summary = stage.observe(summary, d);
            }
            decided[0] = stage.decide(summary);
        });
        return decided[0];
    }

    private static void read(Path file, String text, List<Document> out) throws IOException {
        try (DocumentReader r = ReaderKind.WET.open(file, "cc", Map.of("text", text))) {
            Document d;
            while ((d = r.next()) != null) {
                out.add(d);
            }
        }
    }

    private static void drain(Path file) throws IOException {
        byte[] buf = new byte[1 << 16];
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            while (in.read(buf) >= 0) {
                // only decompress
            }
        }
    }

    /** Writes the pages as WET records, gzip per record; returns the uncompressed size. */
    private static long buildWet(Path file) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(SharedData.file("lm/train.txt")));
        lines.addAll(Files.readAllLines(SharedData.file("lm/test.txt")));
        for (String f : List.of("dolma_cc_en_head-0091.jsonl", "dolma_cc_en_head-0174.jsonl")) {
            try (DocumentReader r = ReaderKind.JSONL.open(SharedData.file("samples/ccnet_output/" + f), "cc", Map.of())) {
                Document d;
                while ((d = r.next()) != null) {
                    lines.addAll(Arrays.asList(d.text().split("\n")));
                }
            }
        }
        lines.removeIf(String::isBlank);
        long raw = 0;
        int page = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int copy = 0; copy < COPIES; copy++) {
                for (int i = 0; i + 30 <= lines.size(); i += 30) {
                    StringBuilder body = new StringBuilder("Page title " + page + "\nHome | About us | Contact\n");
                    for (int j = i; j < i + 30; j++) {
                        body.append(COPY_TAGS.get(copy)).append(' ').append(lines.get(j)).append('\n');
                    }
                    String record = "WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: http://example.com/" + page
                            + "\r\nWARC-Date: 2019-03-18T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:page-" + page
                            + ">\r\nWARC-Block-Digest: sha1:P" + page + "\r\nContent-Type: text/plain\r\nContent-Length: "
                            + body.length() + "\r\n\r\n" + body + "\r\n\r\n";
                    byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
                    raw += bytes.length;
                    java.io.ByteArrayOutputStream member = new java.io.ByteArrayOutputStream();
                    try (GZIPOutputStream g = new GZIPOutputStream(member)) {
                        g.write(bytes);
                    }
                    member.writeTo(out);
                    page++;
                }
            }
        }
        return raw;
    }
}
