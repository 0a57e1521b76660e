package dev.cria.data.lid;

/**
 * fastText's k-best heap of (log-probability, label): a min-heap under {@code std::push_heap}/{@code pop_heap} with
 * the comparator "greater score first", finished by {@code std::sort_heap}. The heap moves follow libstdc++'s, so
 * labels with equal scores come out in the order fastText prints them.
 */
final class TopK {
    float[] scores = new float[8];
    int[] ids = new int[8];
    int size;

    void clear(int k) {
        size = 0;
        if (scores.length < k + 1) {
            scores = new float[k + 1];
            ids = new int[k + 1];
        }
    }

    /** The worst score kept (the heap's front). */
    float front() {
        return scores[0];
    }

    /** Adds one candidate, then drops the worst when more than {@code k} are kept. */
    void offer(float score, int id, int k) {
        scores[size] = score;
        ids[size] = id;
        size++;
        pushHeap(size - 1, 0, score, id);
        if (size > k) {
            popHeap(size);
            size--;
        }
    }

    /** Orders the kept entries best first. */
    void sort() {
        for (int last = size; last > 1; last--) {
            popHeap(last);
        }
    }

    /** comp(a, b) of fastText's comparePairs: a goes below b in the heap when a's score is greater. */
    private static boolean comp(float a, float b) {
        return a > b;
    }

    private void pushHeap(int hole, int top, float score, int id) {
        int parent = (hole - 1) / 2;
        while (hole > top && comp(scores[parent], score)) {
            scores[hole] = scores[parent];
            ids[hole] = ids[parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }
        scores[hole] = score;
        ids[hole] = id;
    }

    /** Moves the front to position last − 1 and restores the heap on [0, last − 1). */
    private void popHeap(int last) {
        if (last <= 1) {
            return;
        }
        int end = last - 1;
        float score = scores[end];
        int id = ids[end];
        scores[end] = scores[0];
        ids[end] = ids[0];
        adjustHeap(0, end, score, id);
    }

    private void adjustHeap(int hole, int len, float score, int id) {
        int top = hole;
        int child = hole;
        while (child < (len - 1) / 2) {
            child = 2 * (child + 1);
            if (comp(scores[child], scores[child - 1])) {
                child--;
            }
            scores[hole] = scores[child];
            ids[hole] = ids[child];
            hole = child;
        }
        if ((len & 1) == 0 && child == (len - 2) / 2) {
            child = 2 * (child + 1);
            scores[hole] = scores[child - 1];
            ids[hole] = ids[child - 1];
            hole = child - 1;
        }
        pushHeap(hole, top, score, id);
    }
}
