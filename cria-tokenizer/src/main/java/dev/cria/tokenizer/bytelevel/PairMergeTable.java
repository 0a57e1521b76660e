package dev.cria.tokenizer.bytelevel;

/**
 * The merges: adjacent pair (left id, right id) → (priority, merged id); a lower priority merges first.
 *
 * <p>A lookup returns both packed in one long, {@code priority << 32 | merged}, so that comparing packed values
 * compares priorities (priorities are below 2^31). {@link #NONE} means the pair does not merge and is larger
 * than every packed value. Open addressing with linear probing, at most half full.
 */
final class PairMergeTable {

    static final long NONE = Long.MAX_VALUE;
    private static final long EMPTY = -1L;

    private final long[] keys;
    private final long[] values;
    private final int mask;
    private final int shift;
    private int size;

    PairMergeTable(int expectedPairs) {
        int capacity = Integer.highestOneBit(Math.max(4, expectedPairs) * 2 - 1) << 1;
        this.keys = new long[capacity];
        this.values = new long[capacity];
        java.util.Arrays.fill(keys, EMPTY);
        this.mask = capacity - 1;
        this.shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    /** Adds the merge unless the pair already has one (the earlier merge wins); returns whether it was added. */
    boolean putIfAbsent(int left, int right, int priority, int merged) {
        long key = key(left, right);
        int slot = slot(key);
        while (keys[slot] != EMPTY) {
            if (keys[slot] == key) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        if (size + 1 > (mask + 1) / 2) {
            throw new IllegalStateException("merge table sized for fewer pairs than added");
        }
        keys[slot] = key;
        values[slot] = pack(priority, merged);
        size++;
        return true;
    }

    /** {@code priority << 32 | merged} for the pair, or {@link #NONE}. */
    long get(int left, int right) {
        long key = key(left, right);
        for (int slot = slot(key); ; slot = (slot + 1) & mask) {
            long k = keys[slot];
            if (k == key) {
                return values[slot];
            }
            if (k == EMPTY) {
                return NONE;
            }
        }
    }

    int size() {
        return size;
    }

    static long pack(int priority, int merged) {
        return ((long) priority << 32) | (merged & 0xFFFF_FFFFL);
    }

    static int priority(long packed) {
        return (int) (packed >>> 32);
    }

    static int merged(long packed) {
        return (int) packed;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFF_FFFFL);
    }

    private int slot(long key) {
        // Fibonacci hashing: the top bits of key × 2^64/φ.
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }
}
