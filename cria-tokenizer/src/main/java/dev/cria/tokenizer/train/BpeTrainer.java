package dev.cria.tokenizer.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * SentencePiece's BPE trainer (bpe_model_trainer.cc), reproduced step for step so that the same corpus gives the
 * same vocabulary in the same order.
 *
 * <p>Every word starts as characters. A symbol is a character or a pair (left, right) of symbols; every adjacent
 * pair in the corpus is a candidate with a frequency (the summed weights of the words where it occurs, counting
 * overlapping occurrences). Each step takes the best candidate among the <em>active</em> ones: highest frequency,
 * then fewer characters, then the smaller string. The active set is refreshed every 100 pieces to the top
 * {@code max(1000, 5% of all symbols)} by frequency, and every pair a merge creates joins it. Accepting a symbol
 * merges all its occurrences left to right, invalidates the counts of the neighbouring pairs and creates the new
 * pairs. A string reached a second time through another split is dropped. Finally the alphabet is appended.
 *
 * <p>The library scans the whole active set each step; here a lazy max-heap over the active set finds the same
 * symbol, because frequencies only ever fall or are freshly computed.
 */
final class BpeTrainer {
    private static final int UPDATE_INTERVAL = 100;
    private static final int MIN_ACTIVE = 1000;
    private static final float TOP_RATIO = 0.05f;

    private final PieceRules rules;
    private final TrainingListener log;

    // Symbols, struct-of-arrays: a character (left = right = -1) or a pair of symbols.
    private int count;
    private int[] left = new int[1024];
    private int[] right = new int[1024];
    private int[][] chars = new int[1024][];
    private long[] freq = new long[1024];
    private long[][] positions = new long[1024][];
    private int[] positionCount = new int[1024];
    private boolean[] positionsSorted = new boolean[1024];
    private boolean[] active = new boolean[1024];
    private boolean[] alive = new boolean[1024];
    private boolean[] isUnk = new boolean[1024];
    private int aliveCount;

    private final Map<Integer, Integer> charSymbols = new HashMap<>();
    /** (left, right) -> pair symbol; -1 marks an erased pair, -2 a pair that can never be a piece. */
    private final Map<Long, Integer> pairSymbols = new HashMap<>();

    private int[][] sentences;
    private long[] weights;

    private PriorityQueue<long[]> heap;
    private final List<Integer> touched = new ArrayList<>();

    BpeTrainer(PieceRules rules, TrainingListener log) {
        this.rules = rules;
        this.log = log;
    }

    /** A learned piece and its score (minus its rank). */
    record Piece(String text, float score) {
    }

    /**
     * Learns {@code vocabSize} merged pieces (fewer when the corpus runs out) from the words, then appends the
     * required characters; returns pieces in vocabulary order with scores 0, -1, -2, ...
     */
    List<Piece> train(TrainingCorpus corpus, int vocabSize) {
        for (int i = 0; i < corpus.requiredChars.length; i++) {
            charSymbol(corpus.requiredChars[i], corpus.requiredCounts[i]);
        }
        sentences = new int[corpus.words.size()][];
        weights = new long[corpus.words.size()];
        for (int sid = 0; sid < sentences.length; sid++) {
            TrainingCorpus.Word w = corpus.words.get(sid);
            if (w.chars().length > 0xFFFF) {
                throw new IllegalArgumentException("a training sentence has " + w.chars().length + " characters; at most 65535 are supported");
            }
            int[] syms = new int[w.chars().length];
            for (int i = 0; i < syms.length; i++) {
                Long required = corpus.requiredCharFreq.get(w.chars()[i]);
                syms[i] = charSymbol(w.chars()[i], required == null ? 1 : required);
            }
            sentences[sid] = syms;
            weights[sid] = w.freq();
        }
        for (int sid = 0; sid < sentences.length; sid++) {
            for (int i = 1; i < sentences[sid].length; i++) {
                addNewPair(sid, i - 1, i);
            }
        }
        touched.clear();

        List<Piece> pieces = new ArrayList<>();
        Set<String> dup = new HashSet<>();
        long lastLog = System.nanoTime();
        while (pieces.size() < vocabSize) {
            if (pieces.size() % UPDATE_INTERVAL == 0) {
                updateActiveSymbols();
            }
            int best = popBest();
            if (best < 0) {
                log.log("No valid symbol found");
                break;
            }
            String text = new String(chars[best], 0, chars[best].length);
            if (!dup.add(text)) {
                erase(best);
                continue;
            }
            pieces.add(new Piece(text, -(float) pieces.size()));
            if (pieces.size() % 20 == 0 && System.nanoTime() - lastLog > 2_000_000_000L) {
                lastLog = System.nanoTime();
                log.log("Added: freq=" + freq[best] + " size=" + pieces.size() + " all=" + aliveCount + " piece=" + text);
            }
            if (pieces.size() % 10 == 0 || pieces.size() == vocabSize) {
                log.progress("merging", pieces.size(), vocabSize);
            }
            accept(best);
            erase(best);
            for (int s : touched) {
                if (active[s] && alive[s]) {
                    computeFreq(s);
                    push(s);
                }
            }
            touched.clear();
        }
        return pieces;
    }

    private int newSymbol(int l, int r, int[] cs, long f) {
        if (count == left.length) {
            int cap = count * 2;
            left = Arrays.copyOf(left, cap);
            right = Arrays.copyOf(right, cap);
            chars = Arrays.copyOf(chars, cap);
            freq = Arrays.copyOf(freq, cap);
            positions = Arrays.copyOf(positions, cap);
            positionCount = Arrays.copyOf(positionCount, cap);
            positionsSorted = Arrays.copyOf(positionsSorted, cap);
            active = Arrays.copyOf(active, cap);
            alive = Arrays.copyOf(alive, cap);
            isUnk = Arrays.copyOf(isUnk, cap);
        }
        int id = count++;
        left[id] = l;
        right[id] = r;
        chars[id] = cs;
        freq[id] = f;
        positionsSorted[id] = true;
        alive[id] = true;
        aliveCount++;
        return id;
    }

    private int charSymbol(int cp, long f) {
        Integer s = charSymbols.get(cp);
        if (s != null) {
            return s;
        }
        int id = newSymbol(-1, -1, new int[] {cp}, f);
        isUnk[id] = cp == PieceRules.UNK_CHAR;
        charSymbols.put(cp, id);
        return id;
    }

    /** GetPairSymbol: the cached pair symbol, created on first sight; -1 when the pair cannot be a piece. */
    private int pairSymbol(int l, int r) {
        if (l < 0 || r < 0 || isUnk[l] || isUnk[r]) {
            return -1;
        }
        long key = (long) l << 32 | r;
        Integer s = pairSymbols.get(key);
        if (s != null && s != -1) {
            return s == -2 ? -1 : s;
        }
        int[] cs = new int[chars[l].length + chars[r].length];
        System.arraycopy(chars[l], 0, cs, 0, chars[l].length);
        System.arraycopy(chars[r], 0, cs, chars[l].length, chars[r].length);
        if (!rules.isValid(cs)) {
            pairSymbols.put(key, -2);
            return -1;
        }
        int id = newSymbol(l, r, cs, 0);
        pairSymbols.put(key, id);
        return id;
    }

    private static long encodePos(int sid, int l, int r) {
        return (long) sid << 32 | (long) l << 16 | r;
    }

    private void addNewPair(int sid, int l, int r) {
        if (l < 0 || r < 0) {
            return;
        }
        int s = pairSymbol(sentences[sid][l], sentences[sid][r]);
        if (s < 0) {
            return;
        }
        active[s] = true;
        long[] p = positions[s];
        int n = positionCount[s];
        if (p == null) {
            p = positions[s] = new long[4];
        } else if (n == p.length) {
            p = positions[s] = Arrays.copyOf(p, n * 2);
        }
        long pos = encodePos(sid, l, r);
        if (n > 0 && p[n - 1] >= pos) {
            positionsSorted[s] = false;
        }
        p[n] = pos;
        positionCount[s] = n + 1;
        touched.add(s);
    }

    private void resetFreq(int sid, int l, int r, int best) {
        if (l < 0 || r < 0) {
            return;
        }
        int s = pairSymbol(sentences[sid][l], sentences[sid][r]);
        if (s >= 0 && s != best) {
            freq[s] = 0;
            touched.add(s);
        }
    }

    /** ComputeFreq: a zero frequency means "recompute"; drop positions whose symbols have changed. */
    private void computeFreq(int s) {
        if (freq[s] > 0) {
            return;
        }
        sortPositions(s);
        long[] p = positions[s];
        int n = positionCount[s];
        int kept = 0;
        long f = 0;
        for (int i = 0; i < n; i++) {
            long pos = p[i];
            int sid = (int) (pos >>> 32);
            int l = (int) (pos >>> 16) & 0xFFFF;
            int r = (int) pos & 0xFFFF;
            if (sentences[sid][l] == left[s] && sentences[sid][r] == right[s]) {
                f += weights[sid];
                p[kept++] = pos;
            }
        }
        positionCount[s] = kept;
        freq[s] = f;
    }

    private void sortPositions(int s) {
        if (!positionsSorted[s]) {
            long[] p = positions[s];
            int n = positionCount[s];
            Arrays.sort(p, 0, n);
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (k == 0 || p[k - 1] != p[i]) {
                    p[k++] = p[i];
                }
            }
            positionCount[s] = k;
            positionsSorted[s] = true;
        }
    }

    /** UpdateActiveSymbols: all pair frequencies, then the top max(1000, 5% of all symbols) become the active set. */
    private void updateActiveSymbols() {
        List<Integer> pairs = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            if (alive[s] && left[s] >= 0) {
                computeFreq(s);
                pairs.add(s);
            }
        }
        int size = Math.min(Math.max(MIN_ACTIVE, (int) (aliveCount * TOP_RATIO)), pairs.size());
        // Ties at the cut are taken in creation order; the library's order there depends on its hash map.
        pairs.sort((a, b) -> freq[a] != freq[b] ? Long.compare(freq[b], freq[a]) : Integer.compare(a, b));
        Arrays.fill(active, 0, count, false);
        heap = new PriorityQueue<>(Math.max(16, size * 2), this::compareEntries);
        for (int i = 0; i < size; i++) {
            int s = pairs.get(i);
            active[s] = true;
            push(s);
        }
        if (size > 0) {
            log.log("Updating active symbols. max_freq=" + freq[pairs.get(0)] + " min_freq=" + freq[pairs.get(size - 1)]);
        }
    }

    private void push(int s) {
        heap.add(new long[] {freq[s], s});
    }

    /** Best first: higher frequency, then fewer characters, then smaller string (code point order), then older. */
    private int compareEntries(long[] x, long[] y) {
        if (x[0] != y[0]) {
            return Long.compare(y[0], x[0]);
        }
        int a = (int) x[1];
        int b = (int) y[1];
        if (chars[a].length != chars[b].length) {
            return Integer.compare(chars[a].length, chars[b].length);
        }
        int c = Arrays.compare(chars[a], chars[b]);
        return c != 0 ? c : Integer.compare(a, b);
    }

    private int popBest() {
        while (!heap.isEmpty()) {
            long[] top = heap.peek();
            int s = (int) top[1];
            if (!active[s] || !alive[s]) {
                heap.poll();
                continue;
            }
            if (freq[s] == 0) {
                computeFreq(s);
            }
            if (top[0] != freq[s]) {
                heap.poll();
                push(s);
                continue;
            }
            heap.poll();
            return s;
        }
        return -1;
    }

    /** Merges every occurrence of {@code best}, left to right, updating the neighbouring pairs. */
    private void accept(int best) {
        sortPositions(best);
        long[] p = positions[best];
        int n = positionCount[best];
        for (int i = 0; i < n; i++) {
            long pos = p[i];
            int sid = (int) (pos >>> 32);
            int l = (int) (pos >>> 16) & 0xFFFF;
            int r = (int) pos & 0xFFFF;
            int[] syms = sentences[sid];
            if (syms[l] < 0) {
                // The left symbol was consumed by the previous occurrence (e.g. "aaa" with best = "aa").
                continue;
            }
            int next = nextIndex(syms, r);
            int prev = prevIndex(syms, l);
            resetFreq(sid, prev, l, best);
            resetFreq(sid, r, next, best);
            syms[l] = best;
            syms[r] = -1;
            addNewPair(sid, prev, l);
            addNewPair(sid, l, next);
        }
    }

    private static int nextIndex(int[] syms, int index) {
        for (int i = index + 1; i < syms.length; i++) {
            if (syms[i] >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static int prevIndex(int[] syms, int index) {
        for (int i = index - 1; i >= 0; i--) {
            if (syms[i] >= 0) {
                return i;
            }
        }
        return -1;
    }

    private void erase(int s) {
        if (alive[s]) {
            alive[s] = false;
            aliveCount--;
        }
        active[s] = false;
        if (left[s] >= 0) {
            pairSymbols.put((long) left[s] << 32 | right[s], -1);
        }
        positions[s] = null;
        positionCount[s] = 0;
    }
}
