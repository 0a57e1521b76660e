package dev.cria.tokenizer.bytelevel;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.cria.testing.SharedData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Single-thread encode throughput of {@link ByteLevelBpe} and of HF tokenizers (Rust, through DJL) on the same
 * texts and machine: each text whole, and line by line. A benchmark, excluded from the normal test run:
 * {@code mvn -pl cria-tokenizer -am test -Dcria.excludedGroups=none -Dtest=ByteLevelBpeThroughputBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class ByteLevelBpeThroughputBenchmarkTest {

    /** Prints the comparison; asserts nothing (timings are measured, not asserted). */
    @Test
    void printsThroughputBesideHuggingFaceTokenizers() throws IOException {
        Path data = SharedData.root();
        Path json = data.resolve("tokenizer/llama3/tokenizer.json");
        byte[] botchan = Files.readAllBytes(data.resolve("tokenizer/spm-trained/botchan.txt"));
        ByteArrayOutputStream books = new ByteArrayOutputStream();
        try (var listing = Files.list(data.resolve("samples/books"))) {
            for (Path book : listing.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                books.writeBytes(Files.readAllBytes(book));
            }
        }
        long start = System.nanoTime();
        ByteLevelBpe bpe = ByteLevelBpe.fromTokenizerJson(new ObjectMapper().readTree(json.toFile()), json.toString());
        System.out.printf("load tokenizer.json: %.0f ms%n", (System.nanoTime() - start) / 1e6);
        System.setProperty("ai.djl.offline", "true");
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(json)
                .optAddSpecialTokens(false).optTruncation(false).optPadding(false).build()) {
            for (var text : List.of(new Object[] {"botchan.txt", botchan}, new Object[] {"books", books.toByteArray()})) {
                String name = (String) text[0];
                byte[] bytes = (byte[]) text[1];
                String string = new String(bytes, StandardCharsets.UTF_8);
                List<String> lines = string.lines().toList();
                List<byte[]> lineBytes = lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
                int lineTotal = lineBytes.stream().mapToInt(l -> l.length).sum();
                System.out.printf("%s: %d bytes, %d tokens, %d lines%n", name, bytes.length, bpe.encode(bytes).length,
                        lines.size());
                double criaWhole = rate(() -> bpe.encode(bytes).length, bytes.length);
                double hfWhole = rate(() -> hf.encode(string, false, false).getIds().length, bytes.length);
                double criaLines = rate(() -> {
                    int n = 0;
                    for (byte[] line : lineBytes) {
                        n += bpe.encode(line).length;
                    }
                    return n;
                }, lineTotal);
                double hfLines = rate(() -> {
                    int n = 0;
                    for (String line : lines) {
                        n += hf.encode(line, false, false).getIds().length;
                    }
                    return n;
                }, lineTotal);
                System.out.printf("  whole text: cria %.1f MB/s, HF %.1f MB/s (x%.1f)%n", criaWhole, hfWhole,
                        criaWhole / hfWhole);
                System.out.printf("  by line:    cria %.1f MB/s, HF %.1f MB/s (x%.1f)%n", criaLines, hfLines,
                        criaLines / hfLines);
            }
        }
    }

    /** MB/s over repeated runs for about 3 s after about 2 s of warm-up. */
    private static double rate(IntSupplier run, long bytes) {
        long warmUntil = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < warmUntil) {
            run.getAsInt();
        }
        long t0 = System.nanoTime();
        long runs = 0;
        while (System.nanoTime() - t0 < 3_000_000_000L) {
            run.getAsInt();
            runs++;
        }
        return bytes * runs / ((System.nanoTime() - t0) / 1e9) / 1e6;
    }
}
