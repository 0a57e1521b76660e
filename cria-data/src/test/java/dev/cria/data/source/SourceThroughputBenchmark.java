package dev.cria.data.source;

import dev.cria.data.Document;
import dev.cria.data.read.DocumentReader;
import dev.cria.data.read.ReaderKind;
import dev.cria.testing.SharedData;
import dev.cria.tokenizer.shard.TokenShardWriter;
import dev.cria.tokenizer.spm.SentencePieceModel;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput of each source reader (read, decompress, parse, clean) against reading and decompressing the same files
 * alone, and of tokenization into shards. CPU time of the measuring thread, so other builds on the machine slow the
 * wall clock but not the figures much; median of 5 runs after a warm-up. Prints a Markdown table
 * (docs/benchmarks-sources.md). Run with {@code -Dcria.excludedGroups=none -Dtest=SourceThroughputBenchmark}.
 */
@Tag("benchmark")
class SourceThroughputBenchmark {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final int RUNS = 5;

    @TempDir
    Path tmp;

    private interface Work {
        long run() throws IOException;
    }

    /** Median CPU seconds of {@code work}; returns {median seconds, bytes}. */
    private static double[] measure(Work work) throws IOException {
        long bytes = work.run();
        double[] s = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t = CPU.getCurrentThreadCpuTime();
            work.run();
            s[i] = (CPU.getCurrentThreadCpuTime() - t) / 1e9;
        }
        Arrays.sort(s);
        return new double[] {s[RUNS / 2], bytes};
    }

    /** Decompresses {@code file} as its reader would (bz2, gzip, tar.gz members, zip entries), counting input bytes. */
    private static long readAndDecompress(Path file) throws IOException {
        String name = file.getFileName().toString();
        byte[] buf = new byte[1 << 16];
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             InputStream in = name.endsWith(".bz2") ? new BZip2CompressorInputStream(raw, true)
                     : name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16)
                     : name.endsWith(".zip") || name.endsWith(".jar") ? new java.util.zip.ZipInputStream(raw) : raw) {
            if (in instanceof java.util.zip.ZipInputStream zip) {
                while (zip.getNextEntry() != null) {
                    while (zip.read(buf) > 0) {
                        // draining
                    }
                }
            } else {
                while (in.read(buf) > 0) {
                    // draining
                }
            }
        }
        return Files.size(file);
    }

    private static long readDocuments(ReaderKind kind, Path file, Map<String, String> options) throws IOException {
        try (DocumentReader r = kind.open(file, kind.key(), options)) {
            while (r.next() != null) {
                // reading is the work
            }
        }
        return Files.size(file);
    }

    @Test
    void printThroughputTable() throws Exception {
        record Case(String source, ReaderKind kind, List<Path> files, Map<String, String> options) {
        }
        Path jdkZip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        Path jar = Path.of(org.apache.commons.compress.archivers.tar.TarArchiveEntry.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI());
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("github (Maven jar)", ReaderKind.GITHUB, List.of(jar), Map.of()));
        if (Files.isRegularFile(jdkZip)) {
            cases.add(new Case("github (JDK src.zip)", ReaderKind.GITHUB, List.of(jdkZip), Map.of()));
        }
        cases.add(new Case("wikipedia (enwiki bz2)", ReaderKind.WIKIPEDIA,
                List.of(SharedData.file("samples/wikipedia_xml/enwiki-pages-articles1-shortened.xml.bz2")), Map.of("languages", "all")));
        cases.add(new Case("wikipedia (bgwiki UTF-16 bz2)", ReaderKind.WIKIPEDIA,
                List.of(SharedData.file("samples/wikipedia_xml/bgwiki-pages-articles-shortened.xml.bz2")), Map.of("languages", "all")));
        cases.add(new Case("books (15 .txt)", ReaderKind.BOOKS, txt(SharedData.file("samples/books")), Map.of()));
        cases.add(new Case("arxiv (2 tar.gz + 2 .tex)", ReaderKind.ARXIV, List.of(
                SharedData.file("samples/arxiv_tex/arXiv-1911.02782_S2ORC_src.tar.gz"),
                SharedData.file("samples/arxiv_tex/arXiv-2004.14974_SciFact_src.tar.gz"),
                SharedData.file("samples/arxiv_tex/arXiv-1803.07574_main.tex"),
                SharedData.file("samples/arxiv_tex/arXiv-1707.08043_main.tex")), Map.of("non_utf8", "latin1")));
        cases.add(new Case("stackexchange (2 Posts.xml)", ReaderKind.STACKEXCHANGE, List.of(
                SharedData.file("samples/stackexchange/coffee.stackexchange.com-Posts.xml"),
                SharedData.file("samples/stackexchange/bicycles.meta.stackexchange.com-Posts.xml")), Map.of()));
        StringBuilder table = new StringBuilder("| source (input) | MB in | read+decompress MB/s/core | reader MB/s/core | ratio |\n|---|---|---|---|---|\n");
        for (Case c : cases) {
            double[] base = measure(() -> {
                long n = 0;
                for (Path f : c.files()) {
                    n += readAndDecompress(f);
                }
                return n;
            });
            double[] reader = measure(() -> {
                long n = 0;
                for (Path f : c.files()) {
                    n += readDocuments(c.kind(), f, c.options());
                }
                return n;
            });
            double mb = base[1] / 1e6;
            table.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.2f |%n", c.source(), mb, mb / base[0], mb / reader[0],
                    base[0] / reader[0]));
        }

        // Tokenization into shards with LLaMA's own 32,000-piece model, on the cleaned Wikipedia and book texts.
        SentencePieceModel spm = SentencePieceModel.load(SharedData.file("tokenizer/llama2/tokenizer.model"));
        List<byte[]> texts = new ArrayList<>();
        for (Path f : txt(SharedData.file("samples/books"))) {
            try (DocumentReader r = ReaderKind.BOOKS.open(f, "books", Map.of())) {
                Document d;
                while ((d = r.next()) != null) {
                    texts.add(d.text().getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        try (DocumentReader r = ReaderKind.WIKIPEDIA.open(SharedData.file("samples/wikipedia_xml/enwiki-pages-articles1-shortened.xml.bz2"),
                "wikipedia", Map.of())) {
            Document d;
            while ((d = r.next()) != null) {
                texts.add(d.text().getBytes(StandardCharsets.UTF_8));
            }
        }
        long[] tokens = new long[1];
        double[] tok = measure(() -> {
            long bytes = 0;
            try (TokenShardWriter w = TokenShardWriter.create(tmp.resolve("bench.tok"), spm.vocabSize(), spm.bosId(), spm.eosId())) {
                for (byte[] t : texts) {
                    w.addDocument(spm.encode(t, 0, t.length));
                    bytes += t.length;
                }
                tokens[0] = w.commit().tokenCount();
            }
            return bytes;
        });
        table.append(String.format(Locale.ROOT, "%ntokenize into a shard (LLaMA 2 tokenizer.model, %,d documents, %.1f MB of text): "
                + "%.2f MB/s/core, %,.0f tokens/s/core, %.2f bytes/token%n", texts.size(), tok[1] / 1e6, tok[1] / 1e6 / tok[0],
                tokens[0] / tok[0], tok[1] / tokens[0]));
        System.out.println(table);
        Files.writeString(Path.of("target", "benchmarks-sources.md"), table);
    }

    private static List<Path> txt(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
    }
}
