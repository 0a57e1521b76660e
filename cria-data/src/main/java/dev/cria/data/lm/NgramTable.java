package dev.cria.data.lm;

/**
 * The n-grams of one order: open addressing with linear probing over {@code long} keys ({@link NgramHash}), each
 * key next to its value (log10 probability and log10 backoff, two floats packed in one long) so a probe touches one
 * cache line. Key 0 marks an empty slot.
 */
final class NgramTable {
    /** The value {@link #get} returns for a missing key; no packed pair of finite floats equals it. */
    static final long MISSING = 0x7FF8_0000_7FF8_0000L;

    private final long[] slots;
    private final int mask;
    private int size;

    /** A table for up to {@code capacity} n-grams, at most half full so probes stay short. */
    NgramTable(long capacity) {
        long want = Math.max(4, Long.highestOneBit(Math.max(1, capacity) * 2 - 1) << 1);
        if (want > (1L << 29)) {
            throw new IllegalArgumentException("too many n-grams for one table: " + capacity);
        }
        slots = new long[(int) want * 2];
        mask = (int) want - 1;
    }

    static long pack(float prob, float backoff) {
        return ((long) Float.floatToRawIntBits(prob) << 32) | (Float.floatToRawIntBits(backoff) & 0xFFFF_FFFFL);
    }

    static float prob(long packed) {
        return Float.intBitsToFloat((int) (packed >>> 32));
    }

    static float backoff(long packed) {
        return Float.intBitsToFloat((int) packed);
    }

    private static long nonZero(long key) {
        return key == 0 ? 1 : key;
    }

    /** Adds {@code key}; returns false (and changes nothing) when it is already there. */
    boolean put(long key, long value) {
        key = nonZero(key);
        int i = (int) key & mask;
        while (true) {
            long k = slots[2 * i];
            if (k == 0) {
                slots[2 * i] = key;
                slots[2 * i + 1] = value;
                size++;
                return true;
            }
            if (k == key) {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    /** Replaces the value of a present key; false when the key is absent. */
    boolean replace(long key, long value) {
        key = nonZero(key);
        int i = (int) key & mask;
        while (true) {
            long k = slots[2 * i];
            if (k == key) {
                slots[2 * i + 1] = value;
                return true;
            }
            if (k == 0) {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    /** The packed value of {@code key}, or {@link #MISSING}. */
    long get(long key) {
        key = nonZero(key);
        int i = (int) key & mask;
        while (true) {
            long k = slots[2 * i];
            if (k == key) {
                return slots[2 * i + 1];
            }
            if (k == 0) {
                return MISSING;
            }
            i = (i + 1) & mask;
        }
    }

    int size() {
        return size;
    }
}
