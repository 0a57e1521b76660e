package dev.cria.data.lm;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads the ARPA back-off format as KenLM does: optional text before {@code \data\}, the header {@code ngram N=count}
 * for N = 1, 2, ..., then per order a {@code \N-grams:} section of exactly that many entries
 * {@code log10p<TAB>w1 ... wN[<TAB>log10backoff]} (tabs or spaces), then {@code \end\}. {@code <unk>} always gets id
 * 0; when the file lacks it, it scores log10 p = −100 as in KenLM. Every deviation is an {@link ArpaFormatException}
 * with the line number.
 */
final class ArpaReader {
    /** KenLM's stand-in log10 probability for a missing {@code <unk>}. */
    static final float MISSING_UNK_LOG_PROB = -100f;

    private final ByteLines lines;
    private final String name;
    private int[] fieldStart = new int[0];
    private int[] fieldEnd = new int[0];

    private ArpaReader(InputStream in, String name) {
        this.lines = new ByteLines(in);
        this.name = name;
    }

    static NgramModel read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = new BufferedInputStream(raw, 1 << 16);
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return read(in, file.toString());
        }
    }

    static NgramModel read(InputStream in, String name) throws IOException {
        return new ArpaReader(in, name).read();
    }

    private ArpaFormatException error(String message) {
        return new ArpaFormatException(name, lines.lineNumber(), message);
    }

    private String line() {
        int end = lines.end();
        if (end > lines.start() && lines.buffer()[end - 1] == '\r') {
            end--;
        }
        return new String(lines.buffer(), lines.start(), end - lines.start(), StandardCharsets.UTF_8);
    }

    /** Next line that is not blank, or null at the end of the file. */
    private String nextNonBlank() throws IOException {
        while (lines.next()) {
            String s = line();
            if (!s.isBlank()) {
                return s;
            }
        }
        return null;
    }

    private NgramModel read() throws IOException {
        String s;
        do {
            s = nextNonBlank();
            if (s == null) {
                throw error("no \\data\\ header: the file is empty or not an ARPA file");
            }
        } while (!s.strip().equals("\\data\\"));

        List<Long> header = new ArrayList<>();
        while (true) {
            if (!lines.next()) {
                throw error("the file ends inside the \\data\\ header");
            }
            s = line().strip();
            if (s.isEmpty()) {
                if (header.isEmpty()) {
                    continue;
                }
                break;
            }
            if (!s.startsWith("ngram ")) {
                if (!header.isEmpty() && s.startsWith("\\")) {
                    break;
                }
                throw error("expected 'ngram N=count' in the \\data\\ header, found '" + s + "'");
            }
            int eq = s.indexOf('=');
            if (eq < 0) {
                throw error("expected 'ngram N=count', found '" + s + "'");
            }
            int n;
            long count;
            try {
                n = Integer.parseInt(s.substring(6, eq).strip());
                count = Long.parseLong(s.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                throw error("expected 'ngram N=count' with integers, found '" + s + "'");
            }
            if (n != header.size() + 1) {
                throw error("expected the count of order " + (header.size() + 1) + ", found order " + n);
            }
            if (count < 0 || (n == 1 && count == 0)) {
                throw error("bad n-gram count " + count + " for order " + n);
            }
            header.add(count);
        }
        if (header.isEmpty()) {
            throw error("the \\data\\ header lists no n-gram counts");
        }
        int order = header.size();
        long[] counts = new long[order + 1];
        for (int n = 1; n <= order; n++) {
            counts[n] = header.get(n - 1);
        }
        if (counts[1] + 1 > Integer.MAX_VALUE - 8) {
            throw error("too many unigrams: " + counts[1]);
        }

        LmVocabulary vocab = new LmVocabulary();
        vocab.add("<unk>");
        int unigramSlots = (int) counts[1] + 1;
        float[] uniProb = new float[unigramSlots];
        float[] uniBackoff = new float[unigramSlots];
        uniProb[LmVocabulary.UNK] = MISSING_UNK_LOG_PROB;
        boolean unkListed = false;
        NgramTable[] tables = new NgramTable[order + 1];
        int[] ids = new int[order];
        fieldStart = new int[order + 2];
        fieldEnd = new int[order + 2];
        boolean headerLineConsumed = !s.isEmpty();

        for (int n = 1; n <= order; n++) {
            String section = headerLineConsumed ? s.strip() : nextNonBlank();
            headerLineConsumed = false;
            String expected = "\\" + n + "-grams:";
            if (section == null) {
                throw error("the file ends before the " + expected + " section");
            }
            if (!section.strip().equals(expected)) {
                throw error(n >= 2 && !section.startsWith("\\")
                        ? "the \\" + (n - 1) + "-grams: section has more n-grams than the header's " + counts[n - 1]
                                + " (expected " + expected + ")"
                        : "expected " + expected + ", found '" + abbreviate(section) + "'");
            }
            if (n >= 2) {
                tables[n] = new NgramTable(counts[n]);
            }
            for (long i = 0; i < counts[n]; i++) {
                if (!lines.next()) {
                    throw error("the file ends in the " + expected + " section after " + i + " of the " + counts[n]
                            + " n-grams the header announces");
                }
                byte[] b = lines.buffer();
                int fields = split(b, lines.start(), lines.end());
                if (fields == 0 || b[fieldStart[0]] == '\\') {
                    throw error("the " + expected + " section has " + i + " n-grams but the header announces "
                            + counts[n]);
                }
                if (fields < n + 1 || fields > n + 2) {
                    throw error("expected log10 probability, " + n + " word(s) and "
                            + (n < order ? "an optional backoff" : "no backoff") + ", found "
                            + (fields > n + 2 ? "more" : String.valueOf(fields)) + " field(s): '" + abbreviate(line()) + "'");
                }
                if (n == order && fields == n + 2) {
                    throw error("an n-gram of the highest order (" + order + ") has a backoff: '" + abbreviate(line()) + "'");
                }
                float prob = parseLogValue(b, 0, "log10 probability");
                if (prob > 0) {
                    throw error("positive log10 probability " + field(b, 0));
                }
                float backoff = fields == n + 2 ? parseLogValue(b, n + 1, "log10 backoff") : 0f;
                if (n == 1) {
                    int id;
                    int ws = fieldStart[1];
                    int wl = fieldEnd[1] - ws;
                    if (LmVocabulary.UNK == vocab.find(b, ws, wl)) {
                        if (unkListed) {
                            throw error("duplicate unigram <unk>");
                        }
                        unkListed = true;
                        id = LmVocabulary.UNK;
                    } else {
                        id = vocab.add(b, ws, wl);
                        if (id < 0) {
                            throw error("duplicate unigram '" + field(b, 1) + "'");
                        }
                        if (id >= unigramSlots) {
                            throw error("more unigrams than the header's " + counts[1]);
                        }
                    }
                    uniProb[id] = prob;
                    uniBackoff[id] = backoff;
                } else {
                    for (int k = 0; k < n; k++) {
                        int id = vocab.find(b, fieldStart[k + 1], fieldEnd[k + 1] - fieldStart[k + 1]);
                        if (id < 0 || (id == LmVocabulary.UNK && !unkListed)) {
                            throw error("word '" + field(b, k + 1) + "' of an n-gram of order " + n
                                    + " is not among the unigrams");
                        }
                        ids[k] = id;
                    }
                    if (!tables[n].put(NgramHash.of(ids, 0, n), NgramTable.pack(prob, backoff))) {
                        throw error("duplicate " + n + "-gram '"
                                + new String(b, fieldStart[1], fieldEnd[n] - fieldStart[1], StandardCharsets.UTF_8) + "'");
                    }
                }
            }
        }
        String end = nextNonBlank();
        if (end == null) {
            throw error("the file ends without \\end\\");
        }
        if (!end.strip().equals("\\end\\")) {
            throw error(end.startsWith("\\")
                    ? "expected \\end\\ after the " + order + "-grams, found '" + abbreviate(end) + "'"
                    : "the \\" + order + "-grams: section has more n-grams than the header's " + counts[order]);
        }
        int bos = vocab.find("<s>");
        int eos = vocab.find("</s>");
        if (bos < 0 || eos < 0) {
            throw new ArpaFormatException(name, lines.lineNumber(), "the unigrams lack " + (bos < 0 ? "<s>" : "</s>"));
        }
        return new NgramModel(order, vocab, uniProb, uniBackoff, tables, counts, bos, eos);
    }

    /** Splits the line into fields separated by runs of spaces and tabs; returns how many (capped). */
    private int split(byte[] b, int start, int end) {
        if (end > start && b[end - 1] == '\r') {
            end--;
        }
        int count = 0;
        int i = start;
        while (true) {
            while (i < end && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            if (i >= end) {
                return count;
            }
            if (count == fieldStart.length) {
                return count + 1;
            }
            fieldStart[count] = i;
            while (i < end && b[i] != ' ' && b[i] != '\t') {
                i++;
            }
            fieldEnd[count++] = i;
        }
    }

    private String field(byte[] b, int k) {
        return new String(b, fieldStart[k], fieldEnd[k] - fieldStart[k], StandardCharsets.UTF_8);
    }

    private float parseLogValue(byte[] b, int k, String what) throws ArpaFormatException {
        float v = DecimalParser.parseFloat(b, fieldStart[k], fieldEnd[k]);
        if (Float.isNaN(v)) {
            String text = field(b, k);
            try {
                v = switch (text) {
                    case "-inf", "-Infinity" -> Float.NEGATIVE_INFINITY;
                    default -> Float.parseFloat(text);
                };
            } catch (NumberFormatException e) {
                throw error("expected a " + what + ", found '" + abbreviate(text) + "'");
            }
            if (Float.isNaN(v) || v == Float.POSITIVE_INFINITY) {
                throw error("expected a " + what + ", found '" + text + "'");
            }
        }
        return v;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
