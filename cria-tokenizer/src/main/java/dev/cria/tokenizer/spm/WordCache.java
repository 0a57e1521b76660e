package dev.cria.tokenizer.spm;

import java.util.Arrays;

/**
 * A per-thread cache from the bytes of a normalized word to its codes: two-way set associative, so a full cache
 * replaces the less recently used entry of a set instead of emptying itself, and memory stays bounded whatever
 * the input.
 */
final class WordCache {
    private final int mask;
    private final byte[][] keys;
    private final int[][] values;
    private final int[] hashes;
    /** Per set: which way was used last. */
    private final boolean[] recent;

    WordCache(int capacity) {
        this.mask = capacity - 1;
        keys = new byte[capacity][];
        values = new int[capacity][];
        hashes = new int[capacity];
        recent = new boolean[capacity / 2];
    }

    static int hash(byte[] s, int off, int len) {
        int h = 0x811C9DC5;
        for (int i = off; i < off + len; i++) {
            h = (h ^ s[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    int[] get(byte[] s, int off, int len, int hash) {
        int i = hash & mask & ~1;
        if (matches(i, s, off, len, hash)) {
            recent[i >>> 1] = false;
            return values[i];
        }
        if (matches(i + 1, s, off, len, hash)) {
            recent[i >>> 1] = true;
            return values[i + 1];
        }
        return null;
    }

    private boolean matches(int slot, byte[] s, int off, int len, int hash) {
        byte[] k = keys[slot];
        return k != null && hashes[slot] == hash && k.length == len && Arrays.equals(k, 0, len, s, off, off + len);
    }

    void put(byte[] s, int off, int len, int hash, int[] codes) {
        int set = hash & mask & ~1;
        int slot = keys[set] == null ? set : keys[set + 1] == null ? set + 1 : recent[set >>> 1] ? set : set + 1;
        keys[slot] = Arrays.copyOfRange(s, off, off + len);
        values[slot] = codes;
        hashes[slot] = hash;
        recent[set >>> 1] = slot == set + 1;
    }
}
