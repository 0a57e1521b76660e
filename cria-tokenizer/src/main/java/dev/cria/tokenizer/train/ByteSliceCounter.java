package dev.cria.tokenizer.train;

import java.util.Arrays;

/** Counts byte strings (words) without creating an object per occurrence: open addressing, keys copied once. */
final class ByteSliceCounter {
    private byte[][] keys;
    private long[] counts;
    private int[] hashes;
    private int size;
    private int mask;

    ByteSliceCounter(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        keys = new byte[cap][];
        counts = new long[cap];
        hashes = new int[cap];
        mask = cap - 1;
    }

    int size() {
        return size;
    }

    private static int hash(byte[] s, int off, int len) {
        int h = 0x9747B28C;
        for (int i = off; i < off + len; i++) {
            h = (h ^ s[i]) * 0x01000193;
        }
        h ^= h >>> 15;
        h *= 0x2C1B3C6D;
        return h ^ (h >>> 12);
    }

    void add(byte[] s, int off, int len, long weight) {
        int h = hash(s, off, len);
        int i = h & mask;
        while (true) {
            byte[] k = keys[i];
            if (k == null) {
                keys[i] = Arrays.copyOfRange(s, off, off + len);
                counts[i] = weight;
                hashes[i] = h;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return;
            }
            if (hashes[i] == h && k.length == len && Arrays.equals(k, 0, len, s, off, off + len)) {
                counts[i] += weight;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    void addAll(ByteSliceCounter other) {
        for (int i = 0; i < other.keys.length; i++) {
            if (other.keys[i] != null) {
                add(other.keys[i], 0, other.keys[i].length, other.counts[i]);
            }
        }
    }

    interface Visitor {
        void visit(byte[] key, long count);
    }

    void forEach(Visitor v) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                v.visit(keys[i], counts[i]);
            }
        }
    }

    private void grow() {
        byte[][] oldKeys = keys;
        long[] oldCounts = counts;
        int[] oldHashes = hashes;
        keys = new byte[oldKeys.length * 2][];
        counts = new long[oldKeys.length * 2];
        hashes = new int[oldKeys.length * 2];
        mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != null) {
                int i = oldHashes[j] & mask;
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                counts[i] = oldCounts[j];
                hashes[i] = oldHashes[j];
            }
        }
    }
}
