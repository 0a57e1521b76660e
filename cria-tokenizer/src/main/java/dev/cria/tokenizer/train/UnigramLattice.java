package dev.cria.tokenizer.train;

import java.util.Arrays;

/**
 * The lattice of one sentence under a {@link UnigramModel} (unigram_model.cc Lattice and PopulateNodes): a node
 * for every piece occurrence, forward-backward marginals, the Viterbi path and the two best paths, computed in
 * the library's order and float precision so that every sum rounds as it does there.
 *
 * <p>Nodes are kept in the library's insertion order: by start position, then by length (the trie's prefix order),
 * with the unknown node, added where no single-character piece exists, last at its position. A position's
 * incoming nodes ("end nodes") are in start order. The forward value of a node only depends on where it starts
 * and the backward value only on where it ends, so both are stored per position:
 * <pre>
 *   alpha[0] = 0,  alpha[p] = LSE over nodes v ending at p of (score(v) + alpha[start(v)])
 *   beta[n]  = 0,  beta[p]  = LSE over nodes v starting at p of (score(v) + beta[end(v)])
 *   Z = alpha[n],  marginal(v) = exp(alpha[start(v)] + score(v) + beta[end(v)] - Z)
 * </pre>
 * where LSE folds left to right, starting from the first term. Reused for many sentences: nothing is allocated
 * once the arrays have grown to the longest sentence.
 */
final class UnigramLattice {
    /** Hypothesis and node index of the sentence-begin node. */
    private static final int BOS = -1;
    /** Index of the sentence-end node. */
    private static final int EOS = -2;
    private static final int NO_HYPOTHESIS = -1;
    /** NBest keeps the agenda below this size by cutting it to the best {@code 10 * nbest} (unigram_model.cc). */
    private static final int MAX_AGENDA = 10000;
    private static final int MIN_AGENDA = 512;
    private static final int NBEST = 2;

    private int n;
    private int count;
    private int[] begin = new int[256];
    private int[] length = new int[256];
    private int[] id = new int[256];
    private float[] score = new float[256];
    private int[] beginStart = new int[64];
    private int[] endStart = new int[64];
    private int[] endNodes = new int[256];
    private int[] cursor = new int[64];
    private float[] alpha = new float[64];
    private float[] beta = new float[64];
    private float[] backtrace = new float[256];
    private int[] prev = new int[256];
    private float eosBacktrace;
    private int eosPrev;
    private int[] path = new int[64];
    private int pathLength;

    // A* agenda of NBest: hypotheses as arrays, the agenda as a binary max-heap of hypothesis indices.
    private int[] hypNode = new int[64];
    private int[] hypNext = new int[64];
    private float[] hypFx = new float[64];
    private float[] hypGx = new float[64];
    private int hypCount;
    private int[] heap = new int[64];
    private int heapSize;
    private int[] shrunk = new int[64];

    /** Builds the nodes of {@code chars[0, n)} under {@code model} (SetSentence + PopulateNodes). */
    void set(UnigramModel model, int[] chars, int n) {
        this.n = n;
        count = 0;
        if (beginStart.length < n + 2) {
            int cap = Math.max(n + 2, beginStart.length * 2);
            beginStart = new int[cap];
            endStart = new int[cap];
            cursor = new int[cap];
            alpha = new float[cap];
            beta = new float[cap];
        }
        float unknownScore = model.minScore - UnigramModel.UNKNOWN_PENALTY;
        for (int p = 0; p < n; p++) {
            beginStart[p] = count;
            boolean hasSingle = false;
            int node = 0;
            for (int q = p; q < n; q++) {
                node = model.child(node, chars[q]);
                if (node < 0) {
                    break;
                }
                int piece = model.pieceAt(node);
                if (piece >= 0) {
                    add(p, q - p + 1, piece, model.scores[piece]);
                    hasSingle |= q == p;
                }
            }
            if (!hasSingle) {
                add(p, 1, UnigramModel.UNKNOWN_ID, unknownScore);
            }
        }
        beginStart[n] = count;
        Arrays.fill(endStart, 0, n + 2, 0);
        for (int k = 0; k < count; k++) {
            endStart[begin[k] + length[k] + 1]++;
        }
        for (int p = 1; p <= n + 1; p++) {
            endStart[p] += endStart[p - 1];
        }
        // Nodes were inserted by start position, so each end group is filled in start order.
        if (endNodes.length < count) {
            endNodes = new int[Math.max(count, endNodes.length * 2)];
        }
        System.arraycopy(endStart, 0, cursor, 0, n + 1);
        for (int k = 0; k < count; k++) {
            endNodes[cursor[begin[k] + length[k]]++] = k;
        }
    }

    private void add(int p, int len, int piece, float s) {
        if (count == begin.length) {
            int cap = count * 2;
            begin = Arrays.copyOf(begin, cap);
            length = Arrays.copyOf(length, cap);
            id = Arrays.copyOf(id, cap);
            score = Arrays.copyOf(score, cap);
            backtrace = Arrays.copyOf(backtrace, cap);
            prev = Arrays.copyOf(prev, cap);
        }
        begin[count] = p;
        length[count] = len;
        id[count] = piece;
        score[count] = s;
        count++;
    }

    int nodeCount() {
        return count;
    }

    /** The library's LogSumExp(x, y): log(e^x + e^y) in double, rounded to float; a term 50 below is dropped. */
    static float logSumExp(float x, float y) {
        float vmin = y < x ? y : x;
        float vmax = x < y ? y : x;
        if (vmax > vmin + 50.0f) {
            return vmax;
        }
        return (float) (vmax + Math.log(Math.exp((double) (vmin - vmax)) + 1.0));
    }

    /** Receives the expected count of each node, in node order. */
    interface MarginalSink {
        void add(int pieceId, double expected);
    }

    /**
     * PopulateMarginal: sends {@code freq * marginal(v)} for every node v in node order (the unknown node under
     * {@link UnigramModel#UNKNOWN_ID}) and returns {@code freq * Z}, the weighted log-likelihood of the sentence.
     */
    float marginals(float freq, MarginalSink sink) {
        alpha[0] = 0f;
        for (int p = 1; p <= n; p++) {
            int from = endStart[p];
            int to = endStart[p + 1];
            int k = endNodes[from];
            float acc = score[k] + alpha[begin[k]];
            for (int j = from + 1; j < to; j++) {
                k = endNodes[j];
                acc = logSumExp(acc, score[k] + alpha[begin[k]]);
            }
            alpha[p] = acc;
        }
        beta[n] = 0f;
        for (int p = n - 1; p >= 0; p--) {
            int from = beginStart[p];
            int to = beginStart[p + 1];
            float acc = score[from] + beta[p + length[from]];
            for (int k = from + 1; k < to; k++) {
                acc = logSumExp(acc, score[k] + beta[p + length[k]]);
            }
            beta[p] = acc;
        }
        float z = alpha[n];
        for (int k = 0; k < count; k++) {
            float logMarginal = alpha[begin[k]] + score[k] + beta[begin[k] + length[k]] - z;
            sink.add(id[k], freq * Math.exp(logMarginal));
        }
        return freq * z;
    }

    /**
     * Lattice::Viterbi: for every node the best predecessor among the nodes ending where it starts (the first one
     * on ties), summing in float per node as the library does. Returns the length of the best path; its piece ids
     * are then {@link #pathId(int)}.
     */
    int viterbi() {
        for (int p = 0; p <= n; p++) {
            int from = beginStart[p];
            int to = p < n ? beginStart[p + 1] : from;
            for (int r = from; r < to; r++) {
                bestPredecessor(p, score[r], r);
            }
        }
        bestPredecessor(n, 0f, EOS);
        pathLength = 0;
        for (int k = eosPrev; k != BOS; k = prev[k]) {
            if (pathLength == path.length) {
                path = Arrays.copyOf(path, pathLength * 2);
            }
            path[pathLength++] = k;
        }
        for (int i = 0, j = pathLength - 1; i < j; i++, j--) {
            int t = path[i];
            path[i] = path[j];
            path[j] = t;
        }
        return pathLength;
    }

    private void bestPredecessor(int p, float rightScore, int r) {
        float best;
        int bestNode;
        if (p == 0) {
            best = 0f + rightScore;
            bestNode = BOS;
        } else {
            int from = endStart[p];
            int to = endStart[p + 1];
            bestNode = endNodes[from];
            best = backtrace[bestNode] + rightScore;
            for (int j = from + 1; j < to; j++) {
                int l = endNodes[j];
                float s = backtrace[l] + rightScore;
                if (s > best) {
                    best = s;
                    bestNode = l;
                }
            }
        }
        if (r == EOS) {
            eosBacktrace = best;
            eosPrev = bestNode;
        } else {
            backtrace[r] = best;
            prev[r] = bestNode;
        }
    }

    /** The piece id of the {@code i}-th node of the last Viterbi path. */
    int pathId(int i) {
        return id[path[i]];
    }

    /** The outcome of {@link #secondBest()}: how the best path splits, and the pieces of the second-best path. */
    record TwoBest(int paths, int bestLength, int[] secondIds) {
    }

    /**
     * Lattice::NBest(2): the A* search from the sentence end with the Viterbi scores as the exact heuristic,
     * popping hypotheses in the order of libstdc++'s priority_queue so that ties resolve as in the library.
     */
    TwoBest secondBest() {
        viterbi();
        hypCount = 0;
        heapSize = 0;
        int eos = newHypothesis(EOS, NO_HYPOTHESIS, eosBacktrace, 0f);
        push(eos);
        int found = 0;
        int bestLength = 0;
        int[] second = new int[0];
        while (heapSize > 0) {
            int top = pop();
            int node = hypNode[top];
            if (node == BOS) {
                int len = 0;
                for (int h = hypNext[top]; hypNext[h] != NO_HYPOTHESIS; h = hypNext[h]) {
                    len++;
                }
                if (found == 0) {
                    bestLength = len;
                } else {
                    second = new int[len];
                    int i = 0;
                    for (int h = hypNext[top]; hypNext[h] != NO_HYPOTHESIS; h = hypNext[h]) {
                        second[i++] = id[hypNode[h]];
                    }
                }
                if (++found == NBEST) {
                    break;
                }
                continue;
            }
            int p = node == EOS ? n : begin[node];
            float gx = hypGx[top];
            if (p == 0) {
                push(newHypothesis(BOS, top, 0f + gx, 0f + gx));
            } else {
                for (int j = endStart[p]; j < endStart[p + 1]; j++) {
                    int l = endNodes[j];
                    push(newHypothesis(l, top, backtrace[l] + gx, score[l] + gx));
                }
            }
            if (heapSize >= MAX_AGENDA) {
                shrinkAgenda(Math.min(MIN_AGENDA, NBEST * 10));
            }
        }
        return new TwoBest(found, bestLength, second);
    }

    private int newHypothesis(int node, int next, float fx, float gx) {
        if (hypCount == hypNode.length) {
            int cap = hypCount * 2;
            hypNode = Arrays.copyOf(hypNode, cap);
            hypNext = Arrays.copyOf(hypNext, cap);
            hypFx = Arrays.copyOf(hypFx, cap);
            hypGx = Arrays.copyOf(hypGx, cap);
        }
        hypNode[hypCount] = node;
        hypNext[hypCount] = next;
        hypFx[hypCount] = fx;
        hypGx[hypCount] = gx;
        return hypCount++;
    }

    /** Keeps the best {@code keep} hypotheses, pushed into a fresh agenda in the order they are popped. */
    private void shrinkAgenda(int keep) {
        if (shrunk.length < keep) {
            shrunk = new int[keep];
        }
        for (int i = 0; i < keep; i++) {
            shrunk[i] = pop();
        }
        heapSize = 0;
        for (int i = 0; i < keep; i++) {
            push(shrunk[i]);
        }
    }

    private boolean less(int a, int b) {
        return hypFx[a] < hypFx[b];
    }

    /** std::push_heap: append, then move the hole up while its parent is less than the new value. */
    private void push(int h) {
        if (heapSize == heap.length) {
            heap = Arrays.copyOf(heap, heapSize * 2);
        }
        int hole = heapSize++;
        int parent = (hole - 1) / 2;
        while (hole > 0 && less(heap[parent], h)) {
            heap[hole] = heap[parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }
        heap[hole] = h;
    }

    /**
     * std::pop_heap then pop_back: the last element is sifted from the root as libstdc++'s __adjust_heap does
     * (always descend to the larger child, the right one on ties, then push the value back up).
     */
    private int pop() {
        int top = heap[0];
        int len = --heapSize;
        if (len == 0) {
            return top;
        }
        int value = heap[len];
        int hole = 0;
        int child = 0;
        while (child < (len - 1) / 2) {
            child = 2 * (child + 1);
            if (less(heap[child], heap[child - 1])) {
                child--;
            }
            heap[hole] = heap[child];
            hole = child;
        }
        if ((len & 1) == 0 && child == (len - 2) / 2) {
            child = 2 * (child + 1);
            heap[hole] = heap[child - 1];
            hole = child - 1;
        }
        int parent = (hole - 1) / 2;
        while (hole > 0 && less(heap[parent], value)) {
            heap[hole] = heap[parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }
        heap[hole] = value;
        return top;
    }
}
