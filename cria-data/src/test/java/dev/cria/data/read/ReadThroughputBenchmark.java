package dev.cria.data.read;

import com.github.luben.zstd.ZstdOutputStream;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The baseline the stage benchmarks compare against: how fast one core merely reads and decompresses the input, and how
 * fast the readers turn it into documents. Inputs are the WET samples' records repeated into files of tens of
 * megabytes (gzip per record, as Common Crawl writes them), and the real CCNet output repeated as JSONL.gz/.zst.
 * Peer: the system's {@code gzip -dc} on the same file. Prints a table; asserts nothing.
 */
@Tag("benchmark")
class ReadThroughputBenchmark {
    private static final int REPS = 5;

    @TempDir
    Path tmp;

    @Test
    void readAndDecompressThroughput() throws Exception {
        Path wetGz = tmp.resolve("bench.warc.wet.gz");
        Path wet = tmp.resolve("bench.warc.wet");
        buildWet(wetGz, wet, 40_000_000);
        Path jsonlGz = tmp.resolve("bench.jsonl.gz");
        Path jsonlZst = tmp.resolve("bench.jsonl.zst");
        buildJsonl(jsonlGz, jsonlZst, 40_000_000);
        long wetRaw = Files.size(wet);
        System.out.printf(Locale.ROOT, "input: %s %.1f MB (%.1f MB uncompressed), %s %.1f MB, %s %.1f MB (%.1f MB uncompressed)%n",
                wetGz.getFileName(), Files.size(wetGz) / 1e6, wetRaw / 1e6, jsonlGz.getFileName(), Files.size(jsonlGz) / 1e6,
                jsonlZst.getFileName(), Files.size(jsonlZst) / 1e6, uncompressedJsonl / 1e6);
        System.out.println("| what | MB/s of uncompressed text (median of " + REPS + ") | documents/s |");
        System.out.println("|---|---|---|");
        row("gzip -dc (system gzip, peer)", wetRaw, 0, () -> gzipCli(wetGz));
        row("Java GZIPInputStream, bytes only", wetRaw, 0, () -> drain(new GZIPInputStream(Files.newInputStream(wetGz), 1 << 16)));
        row("plain file read, bytes only", wetRaw, 0, () -> drain(Files.newInputStream(wet)));
        row("WetReader ccnet, .warc.wet.gz", wetRaw, docs(wetGz, WetText.CCNET), () -> readWet(wetGz, WetText.CCNET));
        row("WetReader ccnet, .warc.wet", wetRaw, docs(wet, WetText.CCNET), () -> readWet(wet, WetText.CCNET));
        row("WetReader c4, .warc.wet.gz", wetRaw, docs(wetGz, WetText.C4), () -> readWet(wetGz, WetText.C4));
        row("JsonlReader, .jsonl.gz", uncompressedJsonl, docsJsonl(jsonlGz), () -> readJsonl(jsonlGz));
        row("JsonlReader, .jsonl.zst", uncompressedJsonl, docsJsonl(jsonlZst), () -> readJsonl(jsonlZst));
        Path warc = SharedData.file("samples/warc_html/dolma_sample-0000.warc.gz");
        long warcRaw = drainCount(new GZIPInputStream(Files.newInputStream(warc)));
        row("WarcHtmlReader (jsoup), dolma_sample-0000.warc.gz", warcRaw, 22, () -> ReadAll.warc(warc));
    }

    private long uncompressedJsonl;

    private interface Work {
        void run() throws Exception;
    }

    private static void row(String what, long bytes, long documents, Work work) throws Exception {
        work.run();
        double[] seconds = new double[REPS];
        for (int i = 0; i < REPS; i++) {
            long t = System.nanoTime();
            work.run();
            seconds[i] = (System.nanoTime() - t) / 1e9;
        }
        Arrays.sort(seconds);
        double s = seconds[REPS / 2];
        System.out.printf(Locale.ROOT, "| %s | %.0f | %s |%n", what, bytes / 1e6 / s, documents == 0 ? "" : String.format(Locale.ROOT, "%.0f", documents / s));
    }

    private static void gzipCli(Path file) throws Exception {
        Process p = new ProcessBuilder("gzip", "-dc", file.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IOException("gzip failed");
        }
    }

    private static void drain(InputStream in) throws IOException {
        drainCount(in);
    }

    private static long drainCount(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        long n = 0;
        try (in) {
            int r;
            while ((r = in.read(buf)) > 0) {
                n += r;
            }
        }
        return n;
    }

    private static void readWet(Path file, WetText mode) throws IOException {
        try (DocumentReader r = ReaderKind.WET.open(file, "cc", Map.of("text", mode.name().toLowerCase(Locale.ROOT)))) {
            while (r.next() != null) {
                // reading is the work
            }
        }
    }

    private static long docs(Path file, WetText mode) throws IOException {
        return ReadAll.wet(file, mode).documents().size();
    }

    private static void readJsonl(Path file) throws IOException {
        try (DocumentReader r = ReaderKind.JSONL.open(file, "cc", Map.of())) {
            while (r.next() != null) {
                // reading is the work
            }
        }
    }

    private static long docsJsonl(Path file) throws IOException {
        return ReadAll.jsonl(file).documents().size();
    }

    /** The conversion records of the WET samples, each gzipped alone, repeated until {@code target} bytes. */
    private static void buildWet(Path gz, Path plain, long target) throws IOException {
        List<byte[]> records = new ArrayList<>();
        for (String name : List.of("cc_wet/whirlwind.warc.wet", "cc_wet/ccnet_sample.warc.wet.txt", "c4_fake_wet/cc_0.warc.wet",
                "c4_fake_wet/cc_1.warc.wet")) {
            String text = Files.readString(SharedData.file("samples/" + name));
            String[] parts = text.split("(?=WARC/1\\.0\\r?\\n)");
            for (String part : parts) {
                if (part.contains("WARC-Type: conversion")) {
                    records.add((part.endsWith("\n\n") || part.endsWith("\r\n\r\n") ? part : part + "\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        long written = 0;
        try (OutputStream g = Files.newOutputStream(gz); OutputStream p = Files.newOutputStream(plain)) {
            for (int i = 0; written < target; i++) {
                byte[] rec = records.get(i % records.size());
                var member = new java.io.ByteArrayOutputStream();
                try (GZIPOutputStream z = new GZIPOutputStream(member)) {
                    z.write(rec);
                }
                member.writeTo(g);
                p.write(rec);
                written += rec.length;
            }
        }
    }

    private void buildJsonl(Path gz, Path zst, long target) throws IOException {
        byte[] a = Files.readAllBytes(SharedData.file("samples/ccnet_output/dolma_cc_en_head-0091.jsonl"));
        byte[] b = Files.readAllBytes(SharedData.file("samples/ccnet_output/dolma_cc_en_head-0174.jsonl"));
        long written = 0;
        try (OutputStream g = new GZIPOutputStream(Files.newOutputStream(gz), 1 << 16);
                OutputStream z = new ZstdOutputStream(Files.newOutputStream(zst), 3)) {
            while (written < target) {
                g.write(a);
                g.write(b);
                z.write(a);
                z.write(b);
                written += a.length + b.length;
            }
        }
        uncompressedJsonl = written;
    }

}
