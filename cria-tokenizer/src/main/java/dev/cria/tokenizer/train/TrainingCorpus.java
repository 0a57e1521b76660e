package dev.cria.tokenizer.train;

import dev.cria.tokenizer.TokenizerFormatException;
import dev.cria.tokenizer.spm.Normalizer;
import dev.cria.tokenizer.spm.PrefixMatcher;
import dev.cria.tokenizer.spm.TrainerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The trainer's view of its input (TrainerInterface::LoadSentences and SplitSentencesByWhitespace): lines read,
 * filtered and optionally sampled, normalized, meta pieces replaced by a boundary, the alphabet chosen by
 * character_coverage, rare characters replaced by U+2585, and the text split into weighted words.
 *
 * <p>Unlike spm_train, words are counted while streaming, so memory follows the number of distinct words rather
 * than the size of the corpus (when split_by_whitespace is off, distinct sentences are kept instead).
 */
final class TrainingCorpus {
    /** A distinct word (or sentence) with its weight, as code points. */
    record Word(int[] chars, long freq) {
    }

    final List<Word> words;
    /** Required characters in the trainer's order: count descending, then code point. */
    final int[] requiredChars;
    final long[] requiredCounts;
    final Map<Integer, Long> requiredCharFreq;
    final long sentencesLoaded;
    final long sentencesSeen;
    final long tooLong;
    final long withReservedChar;
    final double coverage;
    final List<String> selfTestSamples;

    private TrainingCorpus(List<Word> words, int[] requiredChars, long[] requiredCounts, long sentencesLoaded, long sentencesSeen,
                           long tooLong, long withReservedChar, double coverage, List<String> selfTestSamples) {
        this.words = words;
        this.requiredChars = requiredChars;
        this.requiredCounts = requiredCounts;
        this.requiredCharFreq = new HashMap<>();
        for (int i = 0; i < requiredChars.length; i++) {
            requiredCharFreq.put(requiredChars[i], requiredCounts[i]);
        }
        this.sentencesLoaded = sentencesLoaded;
        this.sentencesSeen = sentencesSeen;
        this.tooLong = tooLong;
        this.withReservedChar = withReservedChar;
        this.coverage = coverage;
        this.selfTestSamples = selfTestSamples;
    }

    private static final byte[] UNK_UTF8 = {(byte) 0xE2, (byte) 0x96, (byte) 0x85};

    /** Counts gathered by one worker over a batch of sentences. */
    private static final class Counts {
        final ByteSliceCounter words = new ByteSliceCounter(1 << 12);
        /** With inputOrder: every sentence, empty ones included, in input order, and its frequency. */
        final List<byte[]> ordered = new ArrayList<>();
        final List<Long> orderedFreq = new ArrayList<>();
        final long[] bmpChars = new long[0x10000];
        final Map<Integer, Long> astralChars = new HashMap<>();
        long sentences;

        void merge(Counts o) {
            words.addAll(o.words);
            ordered.addAll(o.ordered);
            orderedFreq.addAll(o.orderedFreq);
            for (int i = 0; i < bmpChars.length; i++) {
                bmpChars[i] += o.bmpChars[i];
            }
            o.astralChars.forEach((c, n) -> astralChars.merge(c, n, Long::sum));
            sentences += o.sentences;
        }
    }

    /**
     * Reads and prepares the training text. With {@code inputOrder}, sentences are kept one per input line in input
     * order (split_by_whitespace must be off), as the unigram trainer's EM needs them to sum as the library does;
     * otherwise distinct words or sentences are counted.
     */
    static TrainingCorpus load(LineSource source, TrainerSpec spec, Normalizer normalizer, Collection<String> metaPieces,
                               long seed, boolean inputOrder, TrainingListener log) throws IOException {
        boolean tsv = "tsv".equals(spec.inputFormat());
        if (!spec.inputFormat().isEmpty() && !tsv && !"text".equals(spec.inputFormat())) {
            throw new IllegalArgumentException("input_format must be 'text' or 'tsv', got '" + spec.inputFormat() + "'");
        }
        PrefixMatcher meta = new PrefixMatcher(metaPieces);
        int threads = Math.max(1, Math.min(spec.numThreads(), Runtime.getRuntime().availableProcessors()));
        boolean split = spec.splitByWhitespace();
        long sampleSize = spec.inputSentenceSize();
        boolean reservoir = sampleSize > 0 && spec.shuffleInputSentence();
        SplittableRandom random = new SplittableRandom(seed);
        SplittableRandom testRandom = new SplittableRandom(seed + 1);
        int testSize = spec.selfTestSampleSize();
        List<String> testSamples = new ArrayList<>();
        long[] seen = new long[1];
        long[] testSeen = new long[1];
        long[] tooLong = new long[1];
        long[] reserved = new long[1];
        long[] bytesRead = new long[2];
        long totalBytes = source.sizeHint();
        int maxLen = spec.maxSentenceLength();
        SplittableRandom dpNoise = spec.values().getBool("enable_differential_privacy") ? new SplittableRandom(seed + 2) : null;

        // Sampled lines are held until the end; otherwise lines stream through the workers in batches.
        List<Sentence> sample = sampleSize > 0 ? new ArrayList<>() : null;
        List<Sentence> batch = new ArrayList<>();
        Counts total = new Counts();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "cria-train-normalize");
            t.setDaemon(true);
            return t;
        });
        List<Future<Counts>> running = new ArrayList<>();
        try {
            boolean[] stop = new boolean[1];
            source.forEachLine(maxLen, (line, length) -> {
                if (stop[0]) {
                    return;
                }
                bytesRead[0] += length + 1;
                if (bytesRead[0] - bytesRead[1] >= 1 << 20) {
                    bytesRead[1] = bytesRead[0];
                    log.progress("reading", bytesRead[0], totalBytes);
                }
                if (line == null || length > maxLen) {
                    if (tooLong[0]++ == 0) {
                        log.log("Found too long line (> " + maxLen + " bytes); too long lines are skipped in the training");
                    }
                    return;
                }
                long freq = 1;
                int textLen = length;
                if (tsv) {
                    int tab = indexOf(line, length, (byte) '\t');
                    if (tab < 0 || indexOf(line, length, (byte) '\t', tab + 1) >= 0) {
                        throw new TokenizerFormatException(source.describe() + ": line " + (seen[0] + tooLong[0] + reserved[0] + 1)
                                + ": input_format tsv expects 'text<TAB>frequency'");
                    }
                    try {
                        freq = Long.parseLong(new String(line, tab + 1, length - tab - 1, StandardCharsets.UTF_8).trim());
                    } catch (NumberFormatException e) {
                        throw new TokenizerFormatException(source.describe() + ": could not parse the frequency in a tsv line");
                    }
                    if (freq < 1) {
                        throw new TokenizerFormatException(source.describe() + ": frequency must be >= 1, got " + freq);
                    }
                    textLen = tab;
                }
                if (textLen == 0) {
                    return;
                }
                if (contains(line, textLen, UNK_UTF8)) {
                    reserved[0]++;
                    return;
                }
                if (dpNoise != null) {
                    // Differential privacy (spm_train --enable_differential_privacy): Gaussian noise on the
                    // frequency, rounded and floored at 0; frequencies under the clipping threshold become 0.
                    if (spec.values().getFloat("differential_privacy_noise_level") > 0) {
                        freq = Math.round(Math.max(0.0, dpNoise.nextGaussian() * spec.values().getFloat("differential_privacy_noise_level") + freq));
                    }
                    if (freq < spec.values().getLong("differential_privacy_clipping_threshold")) {
                        freq = 0;
                    }
                    if (freq <= 0) {
                        return;
                    }
                }
                byte[] copy = Arrays.copyOf(line, textLen);
                if (testSize > 0) {
                    testSeen[0]++;
                    String s = new String(copy, StandardCharsets.UTF_8);
                    if (testSamples.size() < testSize) {
                        testSamples.add(s);
                    } else {
                        long n = testRandom.nextLong(testSeen[0]);
                        if (n < testSamples.size()) {
                            testSamples.set((int) n, s);
                        }
                    }
                }
                seen[0]++;
                Sentence sentence = new Sentence(copy, freq);
                if (sample != null) {
                    if (!reservoir) {
                        sample.add(sentence);
                        if (sample.size() >= sampleSize) {
                            stop[0] = true;
                        }
                    } else if (sample.size() < sampleSize) {
                        sample.add(sentence);
                    } else {
                        long n = random.nextLong(seen[0]);
                        if (n < sample.size()) {
                            sample.set((int) n, sentence);
                        }
                    }
                    return;
                }
                batch.add(sentence);
                if (batch.size() == 20_000) {
                    running.add(pool.submit(worker(new ArrayList<>(batch), normalizer, meta, split, inputOrder, spec)));
                    batch.clear();
                    if (running.size() >= threads * 2) {
                        drain(running, total, threads);
                    }
                }
            });
            List<Sentence> rest = sample != null ? sample : batch;
            int chunk = Math.max(1, (rest.size() + threads - 1) / threads);
            for (int i = 0; i < rest.size(); i += chunk) {
                running.add(pool.submit(worker(new ArrayList<>(rest.subList(i, Math.min(rest.size(), i + chunk))), normalizer, meta, split, inputOrder, spec)));
            }
            drain(running, total, 0);
            log.progress("reading", bytesRead[0], Math.max(totalBytes, bytesRead[0]));
        } finally {
            pool.shutdownNow();
        }
        long loaded = sample != null ? sample.size() : seen[0];
        if (loaded == seen[0]) {
            log.log("Loaded all " + loaded + " sentences");
        } else {
            log.log("Sampled " + loaded + " sentences from " + seen[0] + " sentences");
        }
        if (tooLong[0] > 0) {
            log.log("Skipped " + tooLong[0] + " too long sentences");
        }
        if (loaded == 0) {
            throw new TokenizerFormatException(source.describe() + ": no training sentences (input empty, or every line skipped)");
        }
        return finish(total, spec, loaded, seen[0], tooLong[0], reserved[0], testSamples, log);
    }

    private record Sentence(byte[] text, long freq) {
    }

    private static void drain(List<Future<Counts>> running, Counts total, int keep) throws IOException {
        while (running.size() > keep) {
            try {
                total.merge(running.removeFirst().get());
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    private static java.util.concurrent.Callable<Counts> worker(List<Sentence> sentences, Normalizer normalizer, PrefixMatcher meta,
                                                              boolean split, boolean inputOrder, TrainerSpec spec) {
        return () -> {
            Counts c = new Counts();
            boolean suffix = spec.treatWhitespaceAsSuffix();
            boolean allowWsOnly = spec.allowWhitespaceOnlyPieces();
            for (Sentence s : sentences) {
                byte[] text = replaceMetaPieces(normalizer.normalizeToBytes(s.text(), 0, s.text().length), meta);
                int n = text.length;
                if (inputOrder) {
                    c.ordered.add(text);
                    c.orderedFreq.add(s.freq());
                }
                if (n == 0) {
                    continue;
                }
                c.sentences++;
                long freq = s.freq();
                for (int i = 0; i < n; ) {
                    int b = text[i] & 0xFF;
                    if (b == ' ') {
                        throw new TokenizerFormatException("normalized string must not include spaces (escape_whitespaces must be true to train): "
                                + new String(text, StandardCharsets.UTF_8));
                    }
                    int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
                    int cp = decode(text, i, len);
                    i += len;
                    if (cp == 0) {
                        continue;
                    }
                    if (cp < 0x10000) {
                        c.bmpChars[cp] += freq;
                    } else {
                        c.astralChars.merge(cp, freq, Long::sum);
                    }
                }
                if (split) {
                    splitIntoWords(text, suffix, allowWsOnly, (from, to) -> c.words.add(text, from, to - from, freq));
                } else if (!inputOrder) {
                    c.words.add(text, 0, n, freq);
                }
            }
            return c;
        };
    }

    private static final byte[] TAB = {'\t'};

    /** Meta pieces (<s>, <0x41>, user-defined symbols, ...) in the text become a \t boundary, as the trainer does. */
    private static byte[] replaceMetaPieces(byte[] s, PrefixMatcher meta) {
        int pos = 0;
        while (pos < s.length && !(meta.startsAKey(s[pos]) && meta.longestMatch(s, pos, s.length) > 0)) {
            pos++;
        }
        if (pos == s.length) {
            return s;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length);
        out.write(s, 0, pos);
        while (pos < s.length) {
            int m = meta.startsAKey(s[pos]) ? meta.longestMatch(s, pos, s.length) : 0;
            if (m > 0) {
                out.writeBytes(TAB);
                pos += m;
            } else {
                int b = s[pos] & 0xFF;
                int len = Math.min(b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4, s.length - pos);
                out.write(s, pos, len);
                pos += len;
            }
        }
        return out.toByteArray();
    }

    private static int decode(byte[] s, int i, int len) {
        return switch (len) {
            case 1 -> s[i];
            case 2 -> (s[i] & 0x1F) << 6 | (s[i + 1] & 0x3F);
            case 3 -> (s[i] & 0x0F) << 12 | (s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
            default -> (s[i] & 0x07) << 18 | (s[i + 1] & 0x3F) << 12 | (s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F);
        };
    }

    private static boolean isWs(byte[] s, int i, int n) {
        return i + 2 < n && s[i] == (byte) 0xE2 && s[i + 1] == (byte) 0x96 && s[i + 2] == (byte) 0x81;
    }

    interface SpanConsumer {
        void accept(int from, int to);
    }

    /** SplitIntoWords over UTF-8 bytes; see {@link #splitIntoWords(String, boolean, boolean)}. */
    static void splitIntoWords(byte[] s, boolean suffix, boolean allowWsOnly, SpanConsumer out) {
        int n = s.length;
        boolean inWs = false;
        int start = 0;
        int i = 0;
        while (i < n) {
            boolean ws = isWs(s, i, n);
            int b = s[i] & 0xFF;
            int len = ws ? 3 : Math.min(b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4, n - i);
            if (suffix) {
                if (ws) {
                    inWs = true;
                } else if (inWs) {
                    if (allowWsOnly) {
                        out.accept(start, i);
                        start = i;
                    }
                    inWs = false;
                }
                i += len;
                if (i < n && ws && !allowWsOnly) {
                    out.accept(start, i);
                    start = i;
                }
            } else {
                if (i == 0 || (ws && (!inWs || !allowWsOnly))) {
                    if (i > 0) {
                        out.accept(start, i);
                    }
                    start = i;
                    inWs = true;
                }
                if (inWs && !ws) {
                    inWs = false;
                }
                i += len;
            }
        }
        if (n > 0) {
            out.accept(start, n);
        }
    }

    /** SplitIntoWords (model_interface.cc): pieces begin at {@code ▁} (or end after it, with the suffix option). */
    static List<String> splitIntoWords(String text, boolean suffix, boolean allowWsOnly) {
        List<String> result = new ArrayList<>();
        int n = text.length();
        boolean inWs = false;
        int start = 0;
        if (suffix) {
            for (int i = 0; i < n; ) {
                int cp = text.codePointAt(i);
                boolean ws = cp == PieceRules.WS;
                if (ws) {
                    inWs = true;
                } else if (inWs) {
                    if (allowWsOnly) {
                        result.add(text.substring(start, i));
                        start = i;
                    }
                    inWs = false;
                }
                i += Character.charCount(cp);
                if (i < n && ws && !allowWsOnly) {
                    result.add(text.substring(start, i));
                    start = i;
                }
            }
            if (start < n || result.isEmpty() && n > 0) {
                result.add(text.substring(start));
            }
            return result;
        }
        for (int i = 0; i < n; ) {
            int cp = text.codePointAt(i);
            boolean ws = cp == PieceRules.WS;
            if (i == 0 || (ws && (!inWs || !allowWsOnly))) {
                if (i > 0) {
                    result.add(text.substring(start, i));
                }
                start = i;
                inWs = true;
            }
            if (inWs && !ws) {
                inWs = false;
            }
            i += Character.charCount(cp);
        }
        if (n > 0) {
            result.add(text.substring(start));
        }
        return result;
    }

    /**
     * The words with every occurrence of {@code delimiter} (pretokenization_delimiter) turned into a \t boundary,
     * which no piece may cross; as in the library's BPE trainer this happens after the alphabet was counted.
     */
    TrainingCorpus delimitedBy(String delimiter) {
        int[] needle = delimiter.codePoints().toArray();
        List<Word> out = new ArrayList<>(words.size());
        for (Word w : words) {
            int[] c = w.chars();
            int[] r = new int[c.length];
            int n = 0;
            boolean replaced = false;
            for (int i = 0; i < c.length; ) {
                if (i + needle.length <= c.length && Arrays.equals(c, i, i + needle.length, needle, 0, needle.length)) {
                    r[n++] = PieceRules.BOUNDARY;
                    i += needle.length;
                    replaced = true;
                } else {
                    r[n++] = c[i++];
                }
            }
            out.add(new Word(replaced ? Arrays.copyOf(r, n) : c, w.freq()));
        }
        return new TrainingCorpus(out, requiredChars, requiredCounts, sentencesLoaded, sentencesSeen, tooLong, withReservedChar,
                coverage, selfTestSamples);
    }

    private static TrainingCorpus finish(Counts total, TrainerSpec spec, long loaded, long seen, long tooLong, long reserved,
                                         List<String> testSamples, TrainingListener log) {
        // The alphabet: required_chars first, then by count; stop once character_coverage is reached.
        java.util.Set<Integer> isRequired = new java.util.HashSet<>();
        String required = spec.requiredChars();
        List<long[]> chars = new ArrayList<>();
        Map<Integer, Long> counts = new HashMap<>();
        long all = 0;
        for (int cp = 0; cp < total.bmpChars.length; cp++) {
            if (total.bmpChars[cp] > 0 && (cp < 0xD800 || cp > 0xDFFF)) {
                counts.put(cp, total.bmpChars[cp]);
                all += total.bmpChars[cp];
            }
        }
        for (var e : total.astralChars.entrySet()) {
            counts.put(e.getKey(), e.getValue());
            all += e.getValue();
        }
        required.codePoints().filter(c -> c != 0).forEach(c -> {
            isRequired.add(c);
            counts.putIfAbsent(c, 0L);
        });
        // Rows of (code point, required 1/0, count), sorted required first, then count, then code point.
        for (var e : counts.entrySet()) {
            chars.add(new long[] {e.getKey(), isRequired.contains(e.getKey()) ? 1 : 0, e.getValue()});
        }
        chars.sort((a, b) -> a[1] != b[1] ? Long.compare(b[1], a[1]) : a[2] != b[2] ? Long.compare(b[2], a[2]) : Long.compare(a[0], b[0]));
        log.log("all chars count=" + all);
        long accumulated = 0;
        List<long[]> alphabet = new ArrayList<>();
        float target = spec.characterCoverage();
        for (long[] c : chars) {
            // spm compares in float: coverage = float(1.0 * accumulated / all)
            float coverage = (float) (1.0 * accumulated / all);
            if (!spec.useAllVocab() && coverage >= target) {
                log.log(String.format("Done: %s%% characters are covered.", 100.0 * coverage));
                break;
            }
            accumulated += c[2];
            if (c[0] == PieceRules.BOUNDARY) {
                continue;
            }
            alphabet.add(c);
        }
        double finalCoverage = all == 0 ? 0 : 1.0 * accumulated / all;
        log.log("Alphabet size=" + alphabet.size());
        log.log("Final character coverage=" + finalCoverage);
        if (counts.getOrDefault(PieceRules.UNK_CHAR, 0L) > 0 && alphabet.stream().anyMatch(c -> c[0] == PieceRules.UNK_CHAR)) {
            throw new IllegalStateException("the reserved character U+2585 is in the alphabet");
        }
        alphabet.sort((a, b) -> a[2] != b[2] ? Long.compare(b[2], a[2]) : Long.compare(a[0], b[0]));
        int[] req = new int[alphabet.size()];
        long[] reqCounts = new long[alphabet.size()];
        java.util.Set<Integer> requiredSet = new java.util.HashSet<>();
        for (int i = 0; i < req.length; i++) {
            req[i] = (int) alphabet.get(i)[0];
            reqCounts[i] = alphabet.get(i)[2];
            requiredSet.add(req[i]);
        }
        if (!total.ordered.isEmpty()) {
            List<Word> sentences = inInputOrder(total, requiredSet);
            log.log("Done! preprocessed " + total.sentences + " sentences, kept in input order");
            return new TrainingCorpus(sentences, req, reqCounts, loaded, seen, tooLong, reserved, finalCoverage, testSamples);
        }
        // Rare characters become U+2585; words that become equal merge their counts.
        List<Word> words = new ArrayList<>(total.words.size());
        Map<String, long[]> replaced = new HashMap<>();
        total.words.forEach((key, count) -> {
            int[] cps = new String(key, StandardCharsets.UTF_8).codePoints().toArray();
            boolean rare = false;
            for (int i = 0; i < cps.length; i++) {
                if (!requiredSet.contains(cps[i])) {
                    cps[i] = PieceRules.UNK_CHAR;
                    rare = true;
                }
            }
            if (!rare) {
                words.add(new Word(cps, count));
            } else {
                replaced.computeIfAbsent(new String(cps, 0, cps.length), k -> new long[1])[0] += count;
            }
        });
        replaced.forEach((w, f) -> words.add(new Word(w.codePoints().toArray(), f[0])));
        words.sort((a, b) -> a.freq() != b.freq() ? Long.compare(b.freq(), a.freq()) : Arrays.compare(a.chars(), b.chars()));
        log.log("Done! preprocessed " + total.sentences + " sentences; " + words.size() + " distinct "
                + (spec.splitByWhitespace() ? "words" : "sentences"));
        return new TrainingCorpus(words, req, reqCounts, loaded, seen, tooLong, reserved, finalCoverage, testSamples);
    }

    /**
     * The sentences as the library holds them: empty ones removed by swapping in the last sentence (so the tail
     * moves and a swapped-in empty one stays, exactly as trainer_interface.cc does), rare characters replaced.
     */
    private static List<Word> inInputOrder(Counts total, java.util.Set<Integer> required) {
        List<byte[]> list = new ArrayList<>(total.ordered);
        List<Long> freqs = new ArrayList<>(total.orderedFreq);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).length == 0) {
                int last = list.size() - 1;
                java.util.Collections.swap(list, i, last);
                java.util.Collections.swap(freqs, i, last);
                list.remove(last);
                freqs.remove(last);
            }
        }
        List<Word> words = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            int[] cps = new String(list.get(i), StandardCharsets.UTF_8).codePoints().toArray();
            for (int k = 0; k < cps.length; k++) {
                if (!required.contains(cps[k])) {
                    cps[k] = PieceRules.UNK_CHAR;
                }
            }
            words.add(new Word(cps, freqs.get(i)));
        }
        return words;
    }

    private static int indexOf(byte[] s, int len, byte b) {
        return indexOf(s, len, b, 0);
    }

    private static int indexOf(byte[] s, int len, byte b, int from) {
        for (int i = from; i < len; i++) {
            if (s[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean contains(byte[] s, int len, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= len; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (s[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
