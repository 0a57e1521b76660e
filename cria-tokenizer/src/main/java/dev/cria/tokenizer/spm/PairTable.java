package dev.cria.tokenizer.spm;

import java.util.Arrays;

/**
 * The merge table of BPE encoding: (left symbol, right symbol) to the merged piece id, or -1.
 *
 * <p>Lookups dominate encoding and are mostly cache misses, so when symbol ids fit in 20 bits (every vocabulary
 * below a million pieces) key and value are packed into one long and a probe touches one cache line; larger
 * vocabularies use a plain long-to-int map.
 */
final class PairTable {
    private static final int BITS = 20;
    private static final long LIMIT = 1L << BITS;
    private static final long EMPTY = -1L;

    private final long[] packed;
    private final int mask;
    private final LongIntMap wide;

    /** {@code lefts[i], rights[i] -> merged[i]}; all ids below {@code symbolCount}. */
    PairTable(int[] lefts, int[] rights, int[] merged, int count, int symbolCount) {
        if (symbolCount <= LIMIT) {
            int cap = Integer.highestOneBit(Math.max(16, count * 2) - 1) << 1;
            packed = new long[cap];
            Arrays.fill(packed, EMPTY);
            mask = cap - 1;
            wide = null;
            for (int i = 0; i < count; i++) {
                long key = (long) lefts[i] << BITS | rights[i];
                int slot = slot(key);
                while (packed[slot] != EMPTY && (packed[slot] >>> BITS) != key) {
                    slot = (slot + 1) & mask;
                }
                packed[slot] = key << BITS | merged[i];
            }
        } else {
            packed = null;
            mask = 0;
            wide = new LongIntMap(count);
            for (int i = 0; i < count; i++) {
                wide.put((long) lefts[i] << 32 | rights[i], merged[i]);
            }
        }
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    int get(int left, int right) {
        if (packed == null) {
            return wide.get((long) left << 32 | right);
        }
        long key = (long) left << BITS | right;
        int slot = slot(key);
        while (true) {
            long e = packed[slot];
            if (e == EMPTY) {
                return -1;
            }
            if ((e >>> BITS) == key) {
                return (int) (e & (LIMIT - 1));
            }
            slot = (slot + 1) & mask;
        }
    }
}
