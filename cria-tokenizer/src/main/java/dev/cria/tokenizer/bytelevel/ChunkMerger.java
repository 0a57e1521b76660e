package dev.cria.tokenizer.bytelevel;

/**
 * Byte-pair merging inside one chunk (tiktoken's {@code _byte_pair_merge}): start from one token per byte,
 * then repeatedly merge the adjacent pair with the lowest priority, the leftmost one on ties, until no
 * adjacent pair merges.
 *
 * <p>Short chunks use tiktoken's scan (O(n²), fastest for the usual few bytes); longer ones a heap of
 * candidate pairs keyed by (priority, byte position), O(n log n), which pops the same pair the scan would
 * pick. Holds scratch arrays, so one instance serves one thread.
 */
final class ChunkMerger {

    /** Chunks up to this many bytes are merged by scanning. */
    static final int SCAN_LIMIT = 96;

    private final PairMergeTable merges;
    private final int[] byteIds;
    /** Scratch for the scan, allocated on the first merge (most encode calls of short text need none). */
    private int[] ids;
    /** {@code pairs[i]} = packed merge of {@code ids[i], ids[i + 1]}, or NONE. */
    private long[] pairs;

    ChunkMerger(PairMergeTable merges, int[] byteIds) {
        this.merges = merges;
        this.byteIds = byteIds;
    }

    /** Appends the ids of chunk {@code buf[from, to)} to {@code out}. */
    void merge(byte[] buf, int from, int to, IdBuffer out) {
        if (to - from <= SCAN_LIMIT) {
            mergeByScan(buf, from, to, out);
        } else {
            mergeByHeap(buf, from, to, out);
        }
    }

    void mergeByScan(byte[] buf, int from, int to, IdBuffer out) {
        int n = to - from;
        if (ids == null) {
            ids = new int[SCAN_LIMIT];
            pairs = new long[SCAN_LIMIT];
        }
        for (int i = 0; i < n; i++) {
            ids[i] = byteIds[buf[from + i] & 0xFF];
        }
        for (int i = 0; i + 1 < n; i++) {
            pairs[i] = merges.get(ids[i], ids[i + 1]);
        }
        int count = n;
        while (count > 1) {
            long best = PairMergeTable.NONE;
            int at = -1;
            for (int i = 0; i + 1 < count; i++) {
                if (pairs[i] < best) {
                    best = pairs[i];
                    at = i;
                }
            }
            if (at < 0) {
                break;
            }
            ids[at] = PairMergeTable.merged(best);
            // Drop symbol at+1 and the pair (at+1, at+2); pairs at-1 and at are recomputed below.
            System.arraycopy(ids, at + 2, ids, at + 1, count - at - 2);
            if (count - at - 3 > 0) {
                System.arraycopy(pairs, at + 2, pairs, at + 1, count - at - 3);
            }
            count--;
            if (at + 1 < count) {
                pairs[at] = merges.get(ids[at], ids[at + 1]);
            }
            if (at > 0) {
                pairs[at - 1] = merges.get(ids[at - 1], ids[at]);
            }
        }
        for (int i = 0; i < count; i++) {
            out.add(ids[i]);
        }
    }

    void mergeByHeap(byte[] buf, int from, int to, IdBuffer out) {
        int n = to - from;
        // Symbols form a linked list indexed by their first byte; a merged-away symbol has id -1.
        int[] symbol = new int[n];
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            symbol[i] = byteIds[buf[from + i] & 0xFF];
            next[i] = i + 1;
            prev[i] = i - 1;
        }
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            offer(heap, symbol[i], symbol[i + 1], i);
        }
        while (!heap.isEmpty()) {
            long entry = heap.poll();
            int pos = (int) entry;
            int priority = (int) (entry >>> 32);
            int right = next[pos];
            if (symbol[pos] < 0 || right >= n) {
                continue;
            }
            // An entry is acted on only if the pair now at pos still merges at that priority; otherwise it
            // was made stale by a neighbouring merge (its current pair has its own entry).
            long packed = merges.get(symbol[pos], symbol[right]);
            if (packed == PairMergeTable.NONE || PairMergeTable.priority(packed) != priority) {
                continue;
            }
            symbol[pos] = PairMergeTable.merged(packed);
            symbol[right] = -1;
            int after = next[right];
            next[pos] = after;
            if (after < n) {
                prev[after] = pos;
                offer(heap, symbol[pos], symbol[after], pos);
            }
            if (prev[pos] >= 0) {
                offer(heap, symbol[prev[pos]], symbol[pos], prev[pos]);
            }
        }
        for (int i = 0; i < n; i = next[i]) {
            out.add(symbol[i]);
        }
    }

    private void offer(LongHeap heap, int left, int right, int pos) {
        long packed = merges.get(left, right);
        if (packed != PairMergeTable.NONE) {
            heap.add((long) PairMergeTable.priority(packed) << 32 | pos);
        }
    }

    /** A binary min-heap of longs. */
    private static final class LongHeap {
        private long[] items;
        private int size;

        LongHeap(int capacity) {
            items = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void add(long item) {
            if (size == items.length) {
                items = java.util.Arrays.copyOf(items, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (items[parent] <= item) {
                    break;
                }
                items[i] = items[parent];
                i = parent;
            }
            items[i] = item;
        }

        long poll() {
            long top = items[0];
            long last = items[--size];
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                if (child + 1 < size && items[child + 1] < items[child]) {
                    child++;
                }
                if (last <= items[child]) {
                    break;
                }
                items[i] = items[child];
                i = child;
            }
            items[i] = last;
            return top;
        }
    }
}
