package dev.cria.cli.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cria.cli.progress.PhaseProgress;
import dev.cria.data.europarl.Europarl;
import dev.cria.data.europarl.EuroparlDocument;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * The embedded Europarl corpus as web pages for the CCNet chain: one JSON line per document whose text is its
 * paragraphs (the corpus separates them with runs of three or more spaces) one per line, so that line dedup and the
 * line-level filters have lines to work on. Each page carries meta {@code split}: {@code lm} for about a tenth of
 * the pages, drawn by a hash of the seed and the page's line number, held out to train the reference n-gram model
 * (CCNet trained its models on Wikipedia, not on the text it scores); {@code corpus} for the rest.
 */
public final class EuroparlPages {

    /** The share of pages held out for the reference language model. */
    public static final double LM_FRACTION = 0.1;

    /** What was written. */
    public record Written(long documents, long pages, long lmPages, long paragraphs, long textBytes) {
    }

    private EuroparlPages() {
    }

    /** Pages go to this many files, consecutive documents in each, so that the engine's workers share the corpus. */
    public static final int FILES = 8;

    /**
     * Writes the pages into {@code folder} as {@code part-00000.jsonl.gz} ... (gzip JSON lines; each file appears only
     * once complete).
     *
     * @param limit when positive, only this many documents, spread evenly over the corpus (for tests and quick looks)
     */
    public static Written write(Path folder, long seed, int limit, PhaseProgress progress) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Files.createDirectories(folder);
        int stride = limit > 0 ? Math.max(1, Europarl.DOCUMENT_COUNT / limit) : 1;
        long documents = 0;
        long pages = 0;
        long lm = 0;
        long paragraphs = 0;
        long bytes = 0;
        int part = -1;
        OutputStream out = null;
        Path temp = null;
        try (Europarl europarl = Europarl.open()) {
            int index = -1;
            for (EuroparlDocument d : europarl) {
                index++;
                int filePart = (int) ((long) index * FILES / Europarl.DOCUMENT_COUNT);
                if (filePart != part) {
                    if (out != null) {
                        out.close();
                        commit(temp, folder, part);
                    }
                    part = filePart;
                    temp = folder.resolve(".part.tmp");
                    out = new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(temp), 1 << 16), 1 << 16);
                }
                progress.update("europarl pages", "documents", index + 1, Europarl.DOCUMENT_COUNT);
                if (index % stride != 0 || (limit > 0 && documents >= limit)) {
                    continue;
                }
                documents++;
                List<String> lines = d.paragraphs();
                if (lines.isEmpty()) {
                    continue;
                }
                String text = String.join("\n", lines);
                boolean heldOut = unit(seed, d.lineNumber()) < LM_FRACTION;
                ObjectNode page = json.createObjectNode();
                page.put("id", "europarl-" + d.lineNumber());
                page.put("text", text);
                page.put("source", "europarl");
                page.put("title", d.title());
                page.put("date", d.date());
                page.put("split", heldOut ? "lm" : "corpus");
                out.write(json.writeValueAsBytes(page));
                out.write('\n');
                pages++;
                lm += heldOut ? 1 : 0;
                paragraphs += lines.size();
                bytes += text.getBytes(StandardCharsets.UTF_8).length;
            }
            if (out != null) {
                out.close();
                out = null;
                commit(temp, folder, part);
            }
        } finally {
            if (out != null) {
                out.close();
            }
        }
        return new Written(documents, pages, lm, paragraphs, bytes);
    }

    private static void commit(Path temp, Path folder, int part) throws IOException {
        Files.move(temp, folder.resolve(String.format(Locale.ROOT, "part-%05d.jsonl.gz", part)), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** A uniform number in [0, 1) from SplitMix64 of the seed and a key: the same page is held out on every run. */
    static double unit(long seed, long key) {
        long z = seed * 0x9E3779B97F4A7C15L + key + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }
}
