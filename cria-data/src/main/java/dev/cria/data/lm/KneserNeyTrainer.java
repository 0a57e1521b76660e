package dev.cria.data.lm;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Estimates an interpolated modified Kneser-Ney n-gram model the way KenLM's {@code lmplz} does, in memory, and
 * writes it as ARPA.
 *
 * <ol>
 *   <li>Counting: every line is a sentence {@code <s> w1 ... wk </s>} (words split on ASCII whitespace); every
 *       n-gram of order ≤ N in it is counted, {@code <s>} only ever in first position.
 *   <li>Adjusted counts: at order N, and for n-grams that start with {@code <s>} (nothing can precede them), the raw
 *       count; otherwise the number of distinct words seen just before the n-gram (its continuation count).
 *   <li>Discounts per order from the count-of-counts of adjusted counts ({@link Discounts}).
 *   <li>Interpolation, lowest order first, for context h and word w at order n:
 *       p(w|h) = (a(hw) − D_n(a(hw))) / Σ_x a(hx) + γ(h) p(w|h'), γ(h) = (D1 N1(h•) + D2 N2(h•) + D3 N3+(h•)) /
 *       Σ_x a(hx), where h' drops the oldest word; unigrams interpolate with the uniform distribution over the
 *       vocabulary without {@code <s>} ({@code <unk>} included), which is all {@code <unk>} gets.
 *   <li>ARPA: log10 p, and log10 γ(h) as the backoff of every n-gram that is a context (0 for the others); no
 *       pruning. {@code <s>} is listed with probability 0, as lmplz writes it.
 * </ol>
 */
public final class KneserNeyTrainer {
    public static final int BOS = 1;
    public static final int EOS = 2;

    private final int order;
    private final Discounts fallback;
    private final boolean skipSymbols;
    private final LmVocabulary vocab = new LmVocabulary();
    private final NgramCountTable[] tables;
    private int[] sentence = new int[256];
    private long sentences;
    private long tokens;
    private Discounts[] discounts;
    private boolean estimated;
    /** Context statistics of the empty context (the unigram level). */
    private long contextSumEmpty;
    private final int[] contextTypesEmpty = new int[3];
    private double unkProb;

    /**
     * @param order the model's order N, 1 to 9 (lmplz's {@code -o})
     * @param fallback discounts to use for an order whose estimate is undefined or out of range, or null to fail
     *     there (lmplz's {@code --discount_fallback})
     * @param skipSymbols treat {@code <s>}, {@code </s>} and {@code <unk>} in the text as spaces instead of failing
     *     (lmplz's {@code --skip_symbols})
     */
    public KneserNeyTrainer(int order, Discounts fallback, boolean skipSymbols) {
        if (order < 1 || order > 9) {
            throw new IllegalArgumentException("order must be 1 to 9, was " + order);
        }
        this.order = order;
        this.fallback = fallback;
        this.skipSymbols = skipSymbols;
        vocab.add("<unk>");
        vocab.add("<s>");
        vocab.add("</s>");
        tables = new NgramCountTable[order + 1];
        for (int n = 1; n <= order; n++) {
            tables[n] = new NgramCountTable(n);
        }
    }

    public int order() {
        return order;
    }

    /** Counts every line of {@code in} as one sentence; {@code source} names it in error messages. */
    public void addText(InputStream in, String source) throws IOException {
        ByteLines lines = new ByteLines(in);
        while (lines.next()) {
            addSentence(lines.buffer(), lines.start(), lines.end(), source, lines.lineNumber());
        }
    }

    /** Counts the sentence in {@code bytes[start, end)}. */
    public void addSentence(byte[] bytes, int start, int end, String source, long lineNumber) {
        if (estimated) {
            throw new IllegalStateException("the model is already estimated");
        }
        int len = 0;
        sentence[len++] = BOS;
        int i = start;
        while (true) {
            while (i < end && QueryScorer.isSpace(bytes[i])) {
                i++;
            }
            if (i >= end) {
                break;
            }
            int w = i;
            while (i < end && !QueryScorer.isSpace(bytes[i])) {
                i++;
            }
            int id = vocab.find(bytes, w, i - w);
            if (id < 0) {
                id = vocab.add(bytes, w, i - w);
            } else if (id <= EOS) {
                if (skipSymbols) {
                    continue;
                }
                throw new IllegalArgumentException(source + ":" + lineNumber + ": special word " + vocab.word(id)
                        + " is not allowed in the training text (lmplz's --skip_symbols treats it as a space)");
            }
            if (len + 2 > sentence.length) {
                sentence = Arrays.copyOf(sentence, sentence.length * 2);
            }
            sentence[len++] = id;
        }
        sentence[len++] = EOS;
        sentences++;
        tokens += len - 2;
        countNgrams(len);
    }

    /** Counts the n-grams ending at each position i ≥ 1 (position 0 is {@code <s>}) and {@code <s>} itself. */
    private void countNgrams(int len) {
        tables[1].add(NgramHash.word(BOS), sentence, 0, 1);
        for (int i = 1; i < len; i++) {
            long key = NgramHash.word(sentence[i]);
            tables[1].add(key, sentence, i, 1);
            for (int n = 2; n <= order && i - n + 1 >= 0; n++) {
                key = NgramHash.extendLeft(key, sentence[i - n + 1]);
                tables[n].add(key, sentence, i - n + 1, 1);
            }
        }
    }

    public long sentences() {
        return sentences;
    }

    /** Words counted, without {@code <s>} and {@code </s>} (lmplz's "Unigram tokens"). */
    public long tokens() {
        return tokens;
    }

    /** Vocabulary size with {@code <unk>}, {@code <s>}, {@code </s>} (lmplz's "types"). */
    public int types() {
        return vocab.size();
    }

    /** The discounts of order {@code n}, once {@link #estimate()} ran. */
    public Discounts discounts(int n) {
        return discounts[n];
    }

    /** Number of n-grams of order n in the model. */
    public long count(int n) {
        return n == 1 ? vocab.size() : tables[n].size;
    }

    /** Runs steps 2 to 4; afterwards the model can be written. */
    public void estimate() {
        if (estimated) {
            return;
        }
        estimated = true;
        for (int n = 1; n <= order; n++) {
            tables[n].prepareStatistics();
        }
        adjustCounts();
        discounts = new Discounts[order + 1];
        for (int n = 1; n <= order; n++) {
            discounts[n] = discountsOf(n);
        }
        gatherContextStatistics();
        interpolate();
    }

    private void adjustCounts() {
        for (int n = 1; n <= order; n++) {
            NgramCountTable t = tables[n];
            for (int e = 0; e < t.size; e++) {
                if (n == order || t.word(e, 0) == BOS) {
                    t.adjusted[e] = t.raw[e];
                }
            }
        }
        // Each distinct (n+1)-gram v·g adds one distinct left extension v to its suffix g.
        for (int n = 1; n < order; n++) {
            NgramCountTable lower = tables[n];
            NgramCountTable higher = tables[n + 1];
            for (int e = 0; e < higher.size; e++) {
                int s = lower.find(suffixKey(higher, e), higher.ids, e * (n + 1) + 1);
                if (lower.word(s, 0) != BOS) {
                    lower.adjusted[s]++;
                }
            }
        }
    }

    private static long suffixKey(NgramCountTable t, int e) {
        return NgramHash.of(t.ids, e * t.n + 1, e * t.n + t.n);
    }

    private static long prefixKey(NgramCountTable t, int e) {
        return NgramHash.of(t.ids, e * t.n, e * t.n + t.n - 1);
    }

    private Discounts discountsOf(int n) {
        long[] t = new long[5];
        NgramCountTable table = tables[n];
        for (int e = 0; e < table.size; e++) {
            if (n == 1 && table.word(e, 0) == BOS) {
                continue;
            }
            long a = table.adjusted[e];
            if (a >= 1 && a <= 4) {
                t[(int) a]++;
            }
        }
        Discounts d = Discounts.estimate(t);
        if (d != null) {
            return d;
        }
        if (fallback == null) {
            throw new IllegalStateException("could not estimate Kneser-Ney discounts for " + n + "-grams from the "
                    + "count-of-counts t1..t4 = " + t[1] + ", " + t[2] + ", " + t[3] + ", " + t[4]
                    + " (too little or artificial text?); give fallback discounts (lmplz's --discount_fallback)");
        }
        return fallback;
    }

    /** Σ a(h·), and how many of those n-grams have adjusted count 1, 2, 3+, for every context h. */
    private void gatherContextStatistics() {
        contextSumEmpty = 0;
        Arrays.fill(contextTypesEmpty, 0);
        NgramCountTable uni = tables[1];
        for (int e = 0; e < uni.size; e++) {
            if (uni.word(e, 0) == BOS) {
                continue;
            }
            long a = uni.adjusted[e];
            contextSumEmpty += a;
            contextTypesEmpty[(int) Math.min(a, 3) - 1]++;
        }
        for (int n = 2; n <= order; n++) {
            NgramCountTable t = tables[n];
            NgramCountTable ctx = tables[n - 1];
            for (int e = 0; e < t.size; e++) {
                int c = ctx.find(prefixKey(t, e), t.ids, e * n);
                long a = t.adjusted[e];
                ctx.contextSum[c] += a;
                ctx.contextTypes[3 * c + (int) Math.min(a, 3) - 1]++;
            }
        }
    }

    private static double gamma(Discounts d, long sum, int n1, int n2, int n3) {
        return (d.d1() * (double) n1 + d.d2() * (double) n2 + d.d3plus() * (double) n3) / sum;
    }

    private void interpolate() {
        Discounts d1 = discounts[1];
        double gammaEmpty = gamma(d1, contextSumEmpty, contextTypesEmpty[0], contextTypesEmpty[1], contextTypesEmpty[2]);
        // Uniform over the vocabulary without <s>: every word, </s> and <unk>.
        double uniform = gammaEmpty / (vocab.size() - 1);
        unkProb = uniform;
        NgramCountTable uni = tables[1];
        for (int e = 0; e < uni.size; e++) {
            if (uni.word(e, 0) != BOS) {
                long a = uni.adjusted[e];
                uni.prob[e] = (a - d1.of(a)) / (double) contextSumEmpty + uniform;
            }
        }
        for (int n = 1; n <= order; n++) {
            NgramCountTable t = tables[n];
            if (n < order) {
                Discounts dn = discounts[n + 1];
                for (int e = 0; e < t.size; e++) {
                    t.gamma[e] = t.contextSum[e] == 0 ? 0
                            : gamma(dn, t.contextSum[e], t.contextTypes[3 * e], t.contextTypes[3 * e + 1], t.contextTypes[3 * e + 2]);
                }
            }
            if (n == 1) {
                continue;
            }
            Discounts dn = discounts[n];
            NgramCountTable ctx = tables[n - 1];
            for (int e = 0; e < t.size; e++) {
                int c = ctx.find(prefixKey(t, e), t.ids, e * n);
                int s = ctx.find(suffixKey(t, e), t.ids, e * n + 1);
                long a = t.adjusted[e];
                t.prob[e] = (a - dn.of(a)) / (double) ctx.contextSum[c] + ctx.gamma[c] * ctx.prob[s];
            }
        }
    }

    /**
     * Writes the model as ARPA (UTF-8): unigrams in vocabulary order ({@code <unk>}, {@code <s>}, {@code </s>},
     * then first occurrence, as lmplz lists them), higher orders in order of first occurrence.
     */
    public void writeArpa(OutputStream out) throws IOException {
        estimate();
        OutputStream w = new BufferedOutputStream(out, 1 << 16);
        StringBuilder header = new StringBuilder("\\data\\\n");
        for (int n = 1; n <= order; n++) {
            header.append("ngram ").append(n).append('=').append(count(n)).append('\n');
        }
        header.append("\n\\1-grams:\n");
        w.write(ascii(header.toString()));
        byte[][] words = new byte[vocab.size()][];
        for (int id = 0; id < words.length; id++) {
            words[id] = vocab.word(id).getBytes(StandardCharsets.UTF_8);
        }
        int[] entryOfWord = new int[vocab.size()];
        Arrays.fill(entryOfWord, -1);
        NgramCountTable uni = tables[1];
        for (int e = 0; e < uni.size; e++) {
            entryOfWord[uni.word(e, 0)] = e;
        }
        boolean hasBackoff = order > 1;
        for (int id = 0; id < vocab.size(); id++) {
            int e = entryOfWord[id];
            w.write(id == BOS ? ZERO : ascii(log10(id == LmVocabulary.UNK ? unkProb : uni.prob[e])));
            w.write('\t');
            w.write(words[id]);
            if (hasBackoff) {
                w.write('\t');
                w.write(e < 0 ? ZERO : ascii(backoff(uni.gamma[e])));
            }
            w.write('\n');
        }
        for (int n = 2; n <= order; n++) {
            w.write(ascii("\n\\" + n + "-grams:\n"));
            NgramCountTable t = tables[n];
            boolean backoffColumn = n < order;
            for (int e = 0; e < t.size; e++) {
                w.write(ascii(log10(t.prob[e])));
                w.write('\t');
                for (int k = 0; k < n; k++) {
                    if (k > 0) {
                        w.write(' ');
                    }
                    w.write(words[t.word(e, k)]);
                }
                if (backoffColumn) {
                    w.write('\t');
                    w.write(ascii(backoff(t.gamma[e])));
                }
                w.write('\n');
            }
        }
        w.write(ascii("\n\\end\\\n"));
        w.flush();
    }

    private static final byte[] ZERO = {'0'};

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String log10(double p) {
        return ShortestDecimal.of((float) Math.log10(p));
    }

    private static String backoff(double gamma) {
        return gamma == 0 ? "0" : ShortestDecimal.of((float) Math.log10(gamma));
    }

    /** Text of the discounts as lmplz prints its statistics: {@code n count D1=.. D2=.. D3+=..} per order. */
    public String statistics() {
        estimate();
        StringBuilder sb = new StringBuilder();
        for (int n = 1; n <= order; n++) {
            Discounts d = discounts[n];
            sb.append(n).append(' ').append(count(n)).append(" D1=").append(d.d1()).append(" D2=").append(d.d2())
                    .append(" D3+=").append(d.d3plus()).append('\n');
        }
        return sb.toString();
    }
}
