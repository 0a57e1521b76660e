package dev.cria.tokenizer.spm;

import java.util.Arrays;

/**
 * A per-thread cache from the bytes of a normalized word to its codes. Open addressing; when it fills up it is
 * simply cleared, which keeps memory bounded whatever the input.
 */
final class WordCache {
    private final int capacity;
    private final int mask;
    private byte[][] keys;
    private int[][] values;
    private int[] hashes;
    private int size;

    WordCache(int capacity) {
        this.capacity = capacity;
        this.mask = capacity - 1;
        keys = new byte[capacity][];
        values = new int[capacity][];
        hashes = new int[capacity];
    }

    static int hash(byte[] s, int off, int len) {
        int h = 0x811C9DC5;
        for (int i = off; i < off + len; i++) {
            h = (h ^ s[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    int[] get(byte[] s, int off, int len, int hash) {
        int i = hash & mask;
        while (true) {
            byte[] k = keys[i];
            if (k == null) {
                return null;
            }
            if (hashes[i] == hash && k.length == len && Arrays.equals(k, 0, len, s, off, off + len)) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
    }

    void put(byte[] s, int off, int len, int hash, int[] codes) {
        if (size * 4 >= capacity * 3) {
            Arrays.fill(keys, null);
            Arrays.fill(values, null);
            size = 0;
        }
        int i = hash & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = Arrays.copyOfRange(s, off, off + len);
        values[i] = codes;
        hashes[i] = hash;
        size++;
    }
}
