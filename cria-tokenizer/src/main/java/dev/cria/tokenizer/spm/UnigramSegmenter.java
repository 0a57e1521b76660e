package dev.cria.tokenizer.spm;

import dev.cria.tokenizer.TokenType;
import java.util.Arrays;

/**
 * UNIGRAM models (unigram_model.cc, the optimized Viterbi): the best-scoring segmentation into pieces, where a
 * character no piece covers costs {@code min_score - 10} and a user-defined symbol scores
 * {@code length * max_score - 0.1} so that it always wins. {@code max_score} starts from FLT_MIN, as in the library,
 * so with the usual negative scores user-defined symbols score about -0.1 per symbol.
 */
final class UnigramSegmenter implements Segmenter {
    private static final float UNK_PENALTY = 10.0f;

    private final Vocabulary vocab;
    /** Byte trie of the pieces: child of (node, byte) and the piece id that ends at a node (-1 none). */
    private final LongIntMap children;
    private int[] terminal = new int[1024];
    private int nodes = 1;
    private final float unkScore;
    private final float maxScore;

    UnigramSegmenter(Vocabulary vocab) {
        this.vocab = vocab;
        Arrays.fill(terminal, -1);
        children = new LongIntMap(vocab.size() * 4);
        float min = Float.MAX_VALUE;
        float max = Float.MIN_VALUE;
        for (int id = 0; id < vocab.size(); id++) {
            if (vocab.types[id] == TokenType.NORMAL) {
                min = Math.min(min, vocab.scores[id]);
                max = Math.max(max, vocab.scores[id]);
            }
            if (vocab.isMergeable(id)) {
                insert(vocab.pieceBytes[id], id);
            }
        }
        unkScore = min - UNK_PENALTY;
        maxScore = max;
    }

    private void insert(byte[] key, int id) {
        int node = 0;
        for (byte b : key) {
            long k = (long) node << 8 | (b & 0xFF);
            int child = children.get(k);
            if (child < 0) {
                child = nodes++;
                children.put(k, child);
                if (child >= terminal.length) {
                    int old = terminal.length;
                    terminal = Arrays.copyOf(terminal, old * 2);
                    Arrays.fill(terminal, old, terminal.length, -1);
                }
            }
            node = child;
        }
        terminal[node] = id;
    }

    @Override
    public void segment(byte[] s, int size, IntList out, SegmenterScratch t) {
        t.ensure(size + 1);
        int[] bestId = t.sym;
        int[] startsAt = t.start;
        float[] bestScore = t.candScore;
        for (int i = 0; i <= size; i++) {
            bestId[i] = -1;
            startsAt[i] = -1;
            bestScore[i] = 0f;
        }
        int from = 0;
        while (from < size) {
            float tillHere = bestScore[from];
            int mblen = Math.min(Utf8.lengthFromLead(s[from]), size - from);
            boolean hasSingleNode = false;
            int node = 0;
            for (int key = from; key < size; key++) {
                node = children.get((long) node << 8 | (s[key] & 0xFF));
                if (node < 0) {
                    break;
                }
                int id = terminal[node];
                if (id < 0 || vocab.types[id] == TokenType.UNUSED) {
                    continue;
                }
                int end = key + 1;
                int length = end - from;
                double score = vocab.types[id] == TokenType.USER_DEFINED ? length * maxScore - 0.1 : vocab.scores[id];
                double candidate = score + tillHere;
                if (startsAt[end] == -1 || candidate > bestScore[end]) {
                    bestScore[end] = (float) candidate;
                    startsAt[end] = from;
                    bestId[end] = id;
                }
                if (length == mblen) {
                    hasSingleNode = true;
                }
            }
            if (!hasSingleNode) {
                int end = from + mblen;
                float candidate = unkScore + tillHere;
                if (startsAt[end] == -1 || candidate > bestScore[end]) {
                    bestScore[end] = candidate;
                    startsAt[end] = from;
                    bestId[end] = vocab.unkId;
                }
            }
            from += mblen;
        }
        int first = out.size;
        for (int end = size; end > 0; end = startsAt[end]) {
            int id = bestId[end];
            int start = startsAt[end];
            if (id == vocab.unkId) {
                int index = t.spans.size / 2;
                t.spans.add(start);
                t.spans.add(end - start);
                out.add(Segmenter.unknownSpan(index));
            } else {
                out.add(id);
            }
        }
        for (int i = first, j = out.size - 1; i < j; i++, j--) {
            int tmp = out.data[i];
            out.data[i] = out.data[j];
            out.data[j] = tmp;
        }
    }
}
