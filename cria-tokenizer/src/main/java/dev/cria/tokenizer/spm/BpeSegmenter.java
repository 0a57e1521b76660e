package dev.cria.tokenizer.spm;

import dev.cria.tokenizer.TokenType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * SentencePiece BPE encoding (bpe_model.cc): start from one symbol per character (user-defined symbols frozen
 * whole), then repeatedly merge the adjacent pair whose concatenation is a vocabulary piece with the highest
 * score, the leftmost pair on ties. There is no merge list: any pair whose concatenation is a piece may merge.
 *
 * <p>Two speed-ups keep the answer identical:
 * <ul>
 * <li>Symbols are ids, and "is left+right a piece" is a lookup in a table of every split of every piece into two
 *     symbols (a symbol is always a character or a piece, so no other split can occur).</li>
 * <li>When no piece contains {@code ▁} after another character (true of every model trained with
 *     split_by_whitespace), no merge can cross the start of a {@code ▁}-run, so the text is cut there into words
 *     that are merged independently and cached.</li>
 * </ul>
 */
final class BpeSegmenter implements Segmenter {
    /** Words up to this many symbols are merged by rescanning a candidate array; longer ones use the heap. */
    private static final int SCAN_LIMIT = 64;
    /** Longer words are not cached (they are rare and would crowd the cache). */
    private static final int CACHE_MAX_BYTES = 128;
    private static final int SPACE_CP = 0x2581;

    private enum Split { NONE, BEFORE_SPACE_RUN, AFTER_SPACE_RUN }

    private final Vocabulary vocab;
    private final PairTable pairs;
    private final int[] bmpSymbol = new int[0x10000];
    private final Map<Integer, Integer> astralSymbol = new HashMap<>();
    /** Final code of each symbol id: pieces in {@code [0, n)}, then characters that only occur inside pieces. */
    private final int[] outputCode;
    private final int[] virtualCodePoint;
    private final PrefixMatcher userDefined;
    private final Split split;
    private final boolean useHeapAlways;

    BpeSegmenter(Vocabulary vocab, boolean treatWhitespaceAsSuffix) {
        this.vocab = vocab;
        int n = vocab.size();
        Arrays.fill(bmpSymbol, -1);
        for (int id = 0; id < n; id++) {
            if (vocab.isMergeable(id) && vocab.pieces[id].codePointCount(0, vocab.pieces[id].length()) == 1) {
                putCharSymbol(vocab.pieces[id].codePointAt(0), id);
            }
        }
        int[] virtualCps = new int[16];
        int virtualCount = 0;
        int splits = 0;
        boolean spaceAfterOther = false;
        boolean otherAfterSpace = false;
        for (int id = 0; id < n; id++) {
            if (!vocab.isMergeable(id)) {
                continue;
            }
            int[] cps = vocab.pieces[id].codePoints().toArray();
            splits += cps.length - 1;
            for (int k = 0; k < cps.length; k++) {
                if (charSymbol(cps[k]) < 0) {
                    if (virtualCount == virtualCps.length) {
                        virtualCps = Arrays.copyOf(virtualCps, virtualCount * 2);
                    }
                    virtualCps[virtualCount] = cps[k];
                    putCharSymbol(cps[k], n + virtualCount++);
                }
                if (k > 0 && cps[k] == SPACE_CP && cps[k - 1] != SPACE_CP) {
                    spaceAfterOther = true;
                }
                if (k > 0 && cps[k - 1] == SPACE_CP && cps[k] != SPACE_CP) {
                    otherAfterSpace = true;
                }
            }
        }
        virtualCodePoint = Arrays.copyOf(virtualCps, virtualCount);
        int[] lefts = new int[splits];
        int[] rights = new int[splits];
        int[] merged = new int[splits];
        int pairCount = 0;
        for (int id = 0; id < n; id++) {
            if (!vocab.isMergeable(id)) {
                continue;
            }
            String p = vocab.pieces[id];
            for (int k = p.offsetByCodePoints(0, 1); k < p.length(); k = p.offsetByCodePoints(k, 1)) {
                int left = symbolOf(p.substring(0, k));
                int right = symbolOf(p.substring(k));
                if (left >= 0 && right >= 0) {
                    lefts[pairCount] = left;
                    rights[pairCount] = right;
                    merged[pairCount++] = id;
                }
            }
        }
        pairs = new PairTable(lefts, rights, merged, pairCount, n + virtualCount);
        outputCode = new int[n + virtualCount];
        for (int id = 0; id < n; id++) {
            Integer r = vocab.reserved.get(vocab.pieces[id]);
            outputCode[id] = r == null ? id : r == vocab.unkId ? Segmenter.unknownPiece(id) : r;
        }
        for (int v = 0; v < virtualCount; v++) {
            outputCode[n + v] = charCode(virtualCodePoint[v]);
        }
        userDefined = vocab.userDefined.isEmpty() ? null : new PrefixMatcher(vocab.userDefined);
        boolean userSymbolsCross = false;
        for (String u : vocab.userDefined) {
            int[] cps = u.codePoints().toArray();
            for (int k = 1; k < cps.length; k++) {
                userSymbolsCross |= cps[k] != cps[k - 1] && (cps[k] == SPACE_CP || cps[k - 1] == SPACE_CP);
            }
        }
        if (userSymbolsCross) {
            split = Split.NONE;
        } else if (!treatWhitespaceAsSuffix && !spaceAfterOther) {
            split = Split.BEFORE_SPACE_RUN;
        } else if (treatWhitespaceAsSuffix && !otherAfterSpace) {
            split = Split.AFTER_SPACE_RUN;
        } else {
            split = Split.NONE;
        }
        useHeapAlways = vocab.hasUnused;
    }

    private void putCharSymbol(int cp, int symbol) {
        if (cp < 0x10000) {
            bmpSymbol[cp] = symbol;
        } else {
            astralSymbol.put(cp, symbol);
        }
    }

    private int charSymbol(int cp) {
        return cp < 0x10000 ? bmpSymbol[cp] : astralSymbol.getOrDefault(cp, -1);
    }

    /** The symbol id a string can be during merging: a mergeable piece, or a single character; else -1. */
    private int symbolOf(String s) {
        Integer id = vocab.normal.get(s);
        if (id != null) {
            return id;
        }
        return s.codePointCount(0, s.length()) == 1 ? charSymbol(s.codePointAt(0)) : -1;
    }

    /** The code of a lone character: PieceToId looks in the reserved pieces first, then falls to unknown. */
    private int charCode(int cp) {
        int id = vocab.pieceToId(new String(Character.toChars(cp)));
        return id == vocab.unkId ? Segmenter.unknownChar(cp) : id;
    }

    @Override
    public void segment(byte[] s, int length, IntList out, SegmenterScratch scratch) {
        if (split == Split.NONE) {
            word(s, 0, length, out, scratch);
            return;
        }
        int wordStart = 0;
        boolean prevSpace = false;
        int pos = 0;
        while (pos < length) {
            boolean space = Utf8.isSpaceSymbol(s, pos, length);
            boolean boundary = split == Split.BEFORE_SPACE_RUN ? space && !prevSpace : !space && prevSpace;
            if (boundary && pos > wordStart) {
                word(s, wordStart, pos, out, scratch);
                wordStart = pos;
            }
            prevSpace = space;
            pos += space ? 3 : Math.min(Utf8.lengthFromLead(s[pos]), length - pos);
        }
        if (wordStart < length) {
            word(s, wordStart, length, out, scratch);
        }
    }

    private void word(byte[] s, int from, int to, IntList out, SegmenterScratch scratch) {
        int len = to - from;
        if (len > CACHE_MAX_BYTES) {
            out.addAll(merge(s, from, to, scratch));
            return;
        }
        int h = WordCache.hash(s, from, len);
        int[] codes = scratch.cache.get(s, from, len, h);
        if (codes == null) {
            codes = merge(s, from, to, scratch);
            scratch.cache.put(s, from, len, h, codes);
        }
        out.addAll(codes);
    }

    /** Encodes one word: initial symbols, merges, final codes. */
    int[] merge(byte[] s, int from, int to, SegmenterScratch t) {
        t.ensure(to - from);
        int m = 0;
        int pos = from;
        while (pos < to) {
            int k = userDefined == null ? 0 : userDefined.longestMatch(s, pos, to);
            if (k > 0) {
                t.sym[m] = vocab.normal.get(new String(s, pos, k, StandardCharsets.UTF_8));
                t.frozen[m] = true;
            } else {
                k = Math.min(Utf8.lengthFromLead(s[pos]), to - pos);
                t.sym[m] = charSymbol(Utf8.decode(s, pos, k));
                t.frozen[m] = false;
            }
            t.start[m] = pos;
            t.bytes[m] = k;
            m++;
            pos += k;
        }
        if (useHeapAlways || m > SCAN_LIMIT) {
            return mergeWithHeap(s, m, t);
        }
        m = mergeByScanning(m, t);
        int[] codes = new int[m];
        for (int i = 0; i < m; i++) {
            codes[i] = code(s, t.sym[i], t.start[i], t.bytes[i]);
        }
        return codes;
    }

    private int code(byte[] s, int symbol, int start, int bytes) {
        return symbol >= 0 ? outputCode[symbol] : charCode(Utf8.decode(s, start, bytes));
    }

    private void candidate(int i, SegmenterScratch t) {
        int a = t.sym[i];
        int b = t.sym[i + 1];
        int id = -1;
        if (a >= 0 && b >= 0 && !t.frozen[i] && !t.frozen[i + 1]) {
            id = pairs.get(a, b);
        }
        t.candId[i] = id;
        if (id >= 0) {
            t.candScore[i] = vocab.scores[id];
        }
    }

    /** The same merges as the heap: each step takes the best current pair, leftmost among equals. */
    private int mergeByScanning(int m, SegmenterScratch t) {
        for (int i = 0; i < m - 1; i++) {
            candidate(i, t);
        }
        while (m > 1) {
            int best = -1;
            float bestScore = 0;
            for (int i = 0; i < m - 1; i++) {
                if (t.candId[i] >= 0 && (best < 0 || t.candScore[i] > bestScore)) {
                    best = i;
                    bestScore = t.candScore[i];
                }
            }
            if (best < 0) {
                break;
            }
            t.sym[best] = t.candId[best];
            t.bytes[best] += t.bytes[best + 1];
            int tail = m - best - 2;
            System.arraycopy(t.sym, best + 2, t.sym, best + 1, tail);
            System.arraycopy(t.start, best + 2, t.start, best + 1, tail);
            System.arraycopy(t.bytes, best + 2, t.bytes, best + 1, tail);
            System.arraycopy(t.frozen, best + 2, t.frozen, best + 1, tail);
            System.arraycopy(t.candId, best + 2, t.candId, best + 1, tail);
            System.arraycopy(t.candScore, best + 2, t.candScore, best + 1, tail);
            m--;
            if (best > 0) {
                candidate(best - 1, t);
            }
            if (best < m - 1) {
                candidate(best, t);
            }
        }
        return m;
    }

    /** One entry of the merge agenda, ordered by score (highest first), then by left position. */
    private record Candidate(float score, int left, int right, int size, int id) {
    }

    /**
     * The library's algorithm literally: a priority queue of candidate pairs, stale entries skipped by size, and
     * UNUSED pieces split back into the pair that formed them.
     */
    private int[] mergeWithHeap(byte[] s, int m, SegmenterScratch t) {
        int[] prev = new int[m];
        int[] next = new int[m];
        for (int i = 0; i < m; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < m ? i + 1 : -1;
        }
        PriorityQueue<Candidate> agenda = new PriorityQueue<>((x, y) ->
                x.score() != y.score() ? Float.compare(y.score(), x.score()) : Integer.compare(x.left(), y.left()));
        Map<Integer, long[]> revMerge = vocab.hasUnused ? new HashMap<>() : null;
        for (int i = 1; i < m; i++) {
            offer(agenda, revMerge, i - 1, i, t);
        }
        while (!agenda.isEmpty()) {
            Candidate top = agenda.poll();
            int l = top.left();
            int r = top.right();
            if (t.bytes[l] == 0 || t.bytes[r] == 0 || t.bytes[l] + t.bytes[r] != top.size()) {
                continue;
            }
            t.sym[l] = top.id();
            t.bytes[l] += t.bytes[r];
            next[l] = next[r];
            if (next[r] >= 0) {
                prev[next[r]] = l;
            }
            t.bytes[r] = 0;
            offer(agenda, revMerge, prev[l], l, t);
            offer(agenda, revMerge, l, next[l], t);
        }
        IntList codes = new IntList(m);
        for (int i = 0; i >= 0; i = next[i]) {
            resegment(s, t.sym[i], t.start[i], t.bytes[i], revMerge, codes);
        }
        return codes.toArray();
    }

    private void offer(PriorityQueue<Candidate> agenda, Map<Integer, long[]> revMerge, int l, int r, SegmenterScratch t) {
        if (l < 0 || r < 0 || t.frozen[l] || t.frozen[r] || t.sym[l] < 0 || t.sym[r] < 0) {
            return;
        }
        int id = pairs.get(t.sym[l], t.sym[r]);
        if (id < 0) {
            return;
        }
        agenda.add(new Candidate(vocab.scores[id], l, r, t.bytes[l] + t.bytes[r], id));
        if (revMerge != null && vocab.types[id] == TokenType.UNUSED) {
            revMerge.put(id, new long[] {t.sym[l], t.sym[r]});
        }
    }

    private void resegment(byte[] s, int symbol, int start, int bytes, Map<Integer, long[]> revMerge, IntList out) {
        if (symbol < 0) {
            out.add(code(s, symbol, start, bytes));
        } else {
            resegmentSymbol(symbol, revMerge, out);
        }
    }

    /** Splits an UNUSED piece back into the pair that formed it (rev_merge in the library), recursively. */
    private void resegmentSymbol(int symbol, Map<Integer, long[]> revMerge, IntList out) {
        if (revMerge != null && symbol < vocab.size()) {
            int id = vocab.pieceToId(vocab.pieces[symbol]);
            long[] parts = revMerge.get(symbol);
            if (vocab.types[id] == TokenType.UNUSED && parts != null) {
                resegmentSymbol((int) parts[0], revMerge, out);
                resegmentSymbol((int) parts[1], revMerge, out);
                return;
            }
        }
        out.add(outputCode[symbol]);
    }
}
