package dev.cria.data.lm;

import java.util.Arrays;

/**
 * The distinct n-grams of one order seen in training text, with what Kneser-Ney needs per n-gram: raw count,
 * adjusted count, the statistics of its extensions as a context (sum of their adjusted counts and how many of them
 * have adjusted count 1, 2, 3+), and finally its interpolated probability and backoff. Entries are numbered in
 * insertion order; an open-addressing index over 64-bit {@link NgramHash} keys finds them by word ids.
 */
final class NgramCountTable {
    final int n;
    int size;
    int[] ids;
    long[] keys;
    long[] raw;
    long[] adjusted;
    long[] contextSum;
    /** {@code contextTypes[3*i + k-1]}: extensions of entry i with adjusted count k (k = 3 means 3 or more). */
    int[] contextTypes;
    double[] prob;
    double[] gamma;
    private int[] slots;
    private int mask;

    NgramCountTable(int n) {
        this.n = n;
        int cap = 1 << 10;
        ids = new int[cap * n];
        keys = new long[cap];
        raw = new long[cap];
        slots = new int[cap * 2];
        mask = cap * 2 - 1;
    }

    /** Adds {@code count} to the n-gram {@code words[from, from+n)} whose key is {@code key}; returns its entry. */
    int add(long key, int[] words, int from, long count) {
        int slot = (int) key & mask;
        while (true) {
            int e = slots[slot] - 1;
            if (e < 0) {
                break;
            }
            if (keys[e] == key && Arrays.equals(ids, e * n, e * n + n, words, from, from + n)) {
                raw[e] += count;
                return e;
            }
            slot = (slot + 1) & mask;
        }
        if (size == keys.length) {
            grow();
            return add(key, words, from, count);
        }
        int e = size++;
        System.arraycopy(words, from, ids, e * n, n);
        keys[e] = key;
        raw[e] = count;
        slots[slot] = e + 1;
        return e;
    }

    /** The entry of {@code words[from, from+n)} (key {@code key}), or -1. */
    int find(long key, int[] words, int from) {
        int slot = (int) key & mask;
        while (true) {
            int e = slots[slot] - 1;
            if (e < 0) {
                return -1;
            }
            if (keys[e] == key && Arrays.equals(ids, e * n, e * n + n, words, from, from + n)) {
                return e;
            }
            slot = (slot + 1) & mask;
        }
    }

    int word(int entry, int position) {
        return ids[entry * n + position];
    }

    private void grow() {
        int cap = keys.length * 2;
        ids = Arrays.copyOf(ids, cap * n);
        keys = Arrays.copyOf(keys, cap);
        raw = Arrays.copyOf(raw, cap);
        slots = new int[cap * 2];
        mask = cap * 2 - 1;
        for (int e = 0; e < size; e++) {
            int slot = (int) keys[e] & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = e + 1;
        }
    }

    /** Allocates the per-entry arrays of the later passes, once counting is over. */
    void prepareStatistics() {
        adjusted = new long[size];
        contextSum = new long[size];
        contextTypes = new int[size * 3];
        prob = new double[size];
        gamma = new double[size];
    }
}
