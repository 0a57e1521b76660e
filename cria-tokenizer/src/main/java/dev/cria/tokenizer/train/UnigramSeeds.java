package dev.cria.tokenizer.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The seed vocabulary of unigram training (unigram_model_trainer.cc MakeSeedSentencePieces): every character of
 * the corpus, then the substrings with the highest {@code occurrences x length}, scored by
 * {@code log(value / sum of all values)}.
 *
 * <p>The library concatenates all sentences, each followed by U+0000, and lists the internal nodes of the suffix
 * tree (esaxx): the substrings that occur at least twice and are followed by at least two different symbols, the
 * end of a sentence counting as one symbol. A node with a boundary inside, of one character, or that breaks
 * {@link PieceRules} is dropped; the rest are ranked by score, ties in the order esaxx numbers its nodes. That
 * numbering follows the suffix array: a node is emitted when its interval of suffixes ends, a deeper node first, so
 * one string comes before another when it is an extension of it or sorts before it at their first difference. The
 * numbering is therefore a property of the strings, and so are the node set and the counts: here the suffixes of
 * the <em>distinct</em> sentences are sorted, only as deep as a piece may be long, and a suffix counts with the
 * number of times its sentence occurs. The library's tie order, its counts and its node set are all kept.
 */
final class UnigramSeeds {
    private UnigramSeeds() {
    }

    /** The concatenated text the seeds are taken from: segments separated by 0, each with its occurrence count. */
    static final class Text {
        private int[] chars = new int[1 << 16];
        private int[] weights = new int[1 << 16];
        private int size;
        private final long[] charCounts = new long[Character.MAX_CODE_POINT + 1];

        /**
         * Appends {@code cps[from, to)} and a boundary. {@code occurrences} counts it in the suffix tree (how often
         * the library's array holds it); {@code freq} weighs its characters in the seed alphabet.
         */
        void add(int[] cps, int from, int to, long occurrences, long freq) {
            add(cps, from, to, 0, occurrences, freq);
        }

        /**
         * Appends {@code cps[from, to)}, then {@code follower} (the symbol that follows it in the text, not
         * counted as a character; 0 for none), then a boundary.
         */
        void add(int[] cps, int from, int to, int follower, long occurrences, long freq) {
            if (occurrences > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a training sentence occurs " + occurrences + " times; at most "
                        + Integer.MAX_VALUE + " are supported");
            }
            long needed = (long) size + (to - from) + 2;
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("the training text is too large for the seed suffix array ("
                        + needed + " characters); reduce it with input_sentence_size");
            }
            if (needed > chars.length) {
                int cap = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, chars.length * 2L));
                chars = Arrays.copyOf(chars, cap);
                weights = Arrays.copyOf(weights, cap);
            }
            for (int i = from; i < to; i++) {
                int c = cps[i];
                chars[size] = c;
                weights[size++] = (int) occurrences;
                if (c != PieceRules.UNK_CHAR) {
                    charCounts[c] += freq;
                }
            }
            if (follower != 0) {
                chars[size] = follower;
                weights[size++] = (int) occurrences;
            }
            chars[size] = 0;
            weights[size++] = (int) occurrences;
        }
    }

    /** The seed pieces in the library's order with their initial log-probabilities. */
    record Seeds(int[][] pieces, float[] scores) {
    }

    /**
     * Builds the seed pieces of {@code text}: its characters by count, then its best substrings.
     *
     * @param substrings how many substrings to keep at most
     * @param budgetCountsCharacters SentencePiece up to 0.1.97 stops adding substrings once the whole seed list
     *        (characters included) has {@code substrings} entries, and never stops if the characters alone exceed it
     */
    static Seeds make(Text text, PieceRules rules, int maxPieceLength, int substrings, boolean budgetCountsCharacters,
                      TrainingListener log) {
        List<int[]> chars = new ArrayList<>();
        for (int c = 1; c <= Character.MAX_CODE_POINT; c++) {
            if (text.charCounts[c] > 0) {
                chars.add(new int[] {c});
            }
        }
        // Sorted(all_chars): count descending, then the UTF-8 string, i.e. the code point.
        chars.sort(Comparator.<int[]>comparingLong(c -> -text.charCounts[c[0]]).thenComparingInt(c -> c[0]));
        if (chars.isEmpty()) {
            throw new IllegalArgumentException("no characters to build unigram seed pieces from");
        }
        log.log("Making suffix array...");
        Candidates found = candidates(text, rules, maxPieceLength, log);
        long room = substrings;
        if (budgetCountsCharacters) {
            room = chars.size() > substrings ? Long.MAX_VALUE : substrings - chars.size();
        }
        int[] order = found.ranked();
        int kept = (int) Math.min(order.length, room);
        int[][] pieces = new int[chars.size() + kept][];
        float[] values = new float[pieces.length];
        for (int i = 0; i < chars.size(); i++) {
            pieces[i] = chars.get(i);
            values[i] = (float) text.charCounts[chars.get(i)[0]];
        }
        for (int i = 0; i < kept; i++) {
            int c = order[i];
            pieces[chars.size() + i] = found.piece(c);
            values[chars.size() + i] = (float) found.score[c];
        }
        // ToLogProb: a float sum, the logarithms in double.
        float sum = 0f;
        for (float v : values) {
            sum += v;
        }
        float logSum = (float) Math.log(sum);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (Math.log(values[i]) - logSum);
        }
        log.log("Initialized " + pieces.length + " seed sentencepieces");
        return new Seeds(pieces, values);
    }

    /** Substring candidates in emission order: where one occurs, its length and score. */
    private static final class Candidates {
        final int[] codePoints;
        final int[] text;
        int count;
        int[] start = new int[1024];
        int[] length = new int[1024];
        long[] score = new long[1024];

        Candidates(int[] codePoints, int[] text) {
            this.codePoints = codePoints;
            this.text = text;
        }

        void add(int s, int len, long sc) {
            if (count == start.length) {
                start = Arrays.copyOf(start, count * 2);
                length = Arrays.copyOf(length, count * 2);
                score = Arrays.copyOf(score, count * 2);
            }
            start[count] = s;
            length[count] = len;
            score[count++] = sc;
        }

        int[] piece(int c) {
            int[] p = new int[length[c]];
            for (int i = 0; i < p.length; i++) {
                p[i] = codePoints[text[start[c] + i]];
            }
            return p;
        }

        /** Candidate indices by score descending, then emission order. */
        int[] ranked() {
            long maxScore = 0;
            for (int i = 0; i < count; i++) {
                maxScore = Math.max(maxScore, score[i]);
            }
            int[] order = new int[count];
            if (maxScore < (1L << 32)) {
                long[] keys = new long[count];
                for (int i = 0; i < count; i++) {
                    keys[i] = (0xFFFFFFFFL - score[i]) << 31 | i;
                }
                Arrays.sort(keys);
                for (int i = 0; i < count; i++) {
                    order[i] = (int) (keys[i] & 0x7FFFFFFFL);
                }
            } else {
                Integer[] boxed = new Integer[count];
                for (int i = 0; i < count; i++) {
                    boxed[i] = i;
                }
                Arrays.sort(boxed, (a, b) -> score[a] != score[b] ? Long.compare(score[b], score[a]) : Integer.compare(a, b));
                for (int i = 0; i < count; i++) {
                    order[i] = boxed[i];
                }
            }
            return order;
        }
    }

    /**
     * Sorts the suffixes by their first {@code maxPieceLength + 1} characters (a boundary ends a suffix's key) with
     * prefix doubling, then walks the LCP intervals: each interval of depth {@code d} with at least two suffixes is
     * a suffix tree node, its count the summed occurrences of its suffixes.
     */
    private static Candidates candidates(Text text, PieceRules rules, int maxPieceLength, TrainingListener log) {
        int n = text.size;
        int[] t = new int[n];
        int[] rankOf = new int[Character.MAX_CODE_POINT + 1];
        for (int i = 0; i < n; i++) {
            rankOf[text.chars[i]] = 1;
        }
        rankOf[0] = 0;
        int sigma = 0;
        for (int c = 1; c <= Character.MAX_CODE_POINT; c++) {
            if (rankOf[c] != 0) {
                rankOf[c] = ++sigma;
            }
        }
        int[] codePoints = new int[sigma + 1];
        for (int c = 1; c <= Character.MAX_CODE_POINT; c++) {
            if (rankOf[c] != 0) {
                codePoints[rankOf[c]] = c;
            }
        }
        for (int i = 0; i < n; i++) {
            t[i] = rankOf[text.chars[i]];
        }
        // Distance to the next boundary, capped: a key that reaches a boundary ends there.
        short[] toBoundary = new short[n];
        int dist = 0;
        for (int i = n - 1; i >= 0; i--) {
            dist = t[i] == 0 ? 0 : Math.min(dist + 1, Short.MAX_VALUE);
            toBoundary[i] = (short) dist;
        }
        int keyLength = maxPieceLength + 1;
        int[] sa = sortSuffixes(t, toBoundary, sigma, keyLength);

        Candidates out = new Candidates(codePoints, t);
        int first = 0;
        while (first < n && t[sa[first]] == 0) {
            first++;
        }
        // LCP-interval walk; the stack holds (depth, left end, occurrences before the left end).
        int[] stackDepth = new int[keyLength + 2];
        int[] stackLeft = new int[keyLength + 2];
        long[] stackCum = new long[keyLength + 2];
        int top = 0;
        stackDepth[0] = -1;
        long cum = first < n ? text.weights[sa[first]] : 0;
        long nodes = 0;
        for (int k = first + 1; k <= n; k++) {
            int h = k < n ? lcp(t, sa[k - 1], sa[k], keyLength) : -1;
            int left = k - 1;
            long leftCum = cum - text.weights[sa[k - 1]];
            while (stackDepth[top] > h) {
                int d = stackDepth[top];
                left = stackLeft[top];
                leftCum = stackCum[top];
                top--;
                nodes++;
                if (d >= 2 && d <= maxPieceLength) {
                    int s = sa[left];
                    if (t[s + d - 1] != 0) {
                        long freq = cum - leftCum;
                        int[] cps = new int[d];
                        for (int i = 0; i < d; i++) {
                            cps[i] = codePoints[t[s + i]];
                        }
                        if (rules.isValid(cps)) {
                            out.add(s, d, freq * d);
                        }
                    }
                }
            }
            if (stackDepth[top] < h) {
                top++;
                stackDepth[top] = h;
                stackLeft[top] = left;
                stackCum[top] = leftCum;
            }
            if (k < n) {
                cum += text.weights[sa[k]];
            }
        }
        log.log("Extracting frequent sub strings... suffix tree nodes=" + nodes + ", valid pieces=" + out.count);
        return out;
    }

    /** Common prefix of two suffixes, counting a shared boundary and stopping after it, capped at {@code cap}. */
    private static int lcp(int[] t, int a, int b, int cap) {
        int l = 0;
        while (l < cap && t[a + l] == t[b + l]) {
            if (t[a + l++] == 0) {
                break;
            }
        }
        return l;
    }

    /**
     * Prefix doubling: after the round for {@code h}, suffixes are ordered by their first {@code 2h} characters,
     * a key ending at its first boundary (so {@code "ab\0"} sorts before {@code "abc"}, and equal keys stay
     * together). Ranks: 0 for an ended key, 1 for a boundary, 2.. for characters.
     */
    private static int[] sortSuffixes(int[] t, short[] toBoundary, int sigma, int keyLength) {
        int n = t.length;
        int[] rank = new int[n];
        int[] sa = new int[n];
        int[] tmp = new int[n];
        int[] bucket = new int[Math.max(sigma + 3, 2)];
        for (int i = 0; i < n; i++) {
            rank[i] = t[i] + 1;
            bucket[rank[i] + 1]++;
        }
        for (int r = 1; r < bucket.length; r++) {
            bucket[r] += bucket[r - 1];
        }
        for (int i = 0; i < n; i++) {
            sa[bucket[rank[i]]++] = i;
        }
        int maxRank = sigma + 1;
        int[] next = new int[n];
        for (int h = 1; h < keyLength; h *= 2) {
            // Order by the second half: keys already ended first, then by the rank of the suffix h further on.
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (toBoundary[i] < h) {
                    tmp[m++] = i;
                }
            }
            for (int k = 0; k < n; k++) {
                int i = sa[k] - h;
                if (i >= 0 && toBoundary[i] >= h) {
                    tmp[m++] = i;
                }
            }
            // Stable counting sort by the first half.
            if (bucket.length < maxRank + 2) {
                bucket = new int[maxRank + 2];
            } else {
                Arrays.fill(bucket, 0);
            }
            for (int i = 0; i < n; i++) {
                bucket[rank[i] + 1]++;
            }
            for (int r = 1; r < maxRank + 2; r++) {
                bucket[r] += bucket[r - 1];
            }
            for (int k = 0; k < n; k++) {
                int i = tmp[k];
                sa[bucket[rank[i]]++] = i;
            }
            int r = 0;
            int prevFirst = -1;
            int prevSecond = -1;
            for (int k = 0; k < n; k++) {
                int i = sa[k];
                int second = toBoundary[i] < h ? 0 : rank[i + h];
                if (rank[i] != prevFirst || second != prevSecond) {
                    r++;
                    prevFirst = rank[i];
                    prevSecond = second;
                }
                next[i] = r;
            }
            int[] swap = rank;
            rank = next;
            next = swap;
            maxRank = r;
            if (r == n) {
                break;
            }
        }
        return sa;
    }
}
