package dev.cria.data.stage.dedup;

import java.io.Serializable;

/**
 * A set of 64-bit hashes that remembers, per hash, whether it was added more than once: CCNet's {@code FlatHashSet}
 * in spirit (open addressing over a {@code long[]}, no boxing). The hash value 0 is stored out of band.
 */
public final class LongHashCounts implements Serializable {

    private static final long serialVersionUID = 1L;

    private long[] keys;
    private boolean[] repeated;
    private int size;
    private boolean hasZero;
    private boolean zeroRepeated;

    public LongHashCounts() {
        keys = new long[1024];
        repeated = new boolean[1024];
    }

    public int size() {
        return size + (hasZero ? 1 : 0);
    }

    /** Records one occurrence of {@code hash}. */
    public void add(long hash) {
        addOccurrences(hash, false);
    }

    private void addOccurrences(long hash, boolean alreadyRepeated) {
        if (hash == 0) {
            zeroRepeated |= hasZero || alreadyRepeated;
            hasZero = true;
            return;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = mix(hash) & mask;
        while (keys[i] != 0) {
            if (keys[i] == hash) {
                repeated[i] = true;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = hash;
        repeated[i] = alreadyRepeated;
        size++;
    }

    /** Whether {@code hash} was added two or more times (counting everything merged in). */
    public boolean isRepeated(long hash) {
        if (hash == 0) {
            return zeroRepeated;
        }
        int mask = keys.length - 1;
        int i = mix(hash) & mask;
        while (keys[i] != 0) {
            if (keys[i] == hash) {
                return repeated[i];
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    public boolean contains(long hash) {
        if (hash == 0) {
            return hasZero;
        }
        int mask = keys.length - 1;
        int i = mix(hash) & mask;
        while (keys[i] != 0) {
            if (keys[i] == hash) {
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    /** Adds every hash of {@code other}; a hash present in both becomes repeated. */
    public LongHashCounts addAll(LongHashCounts other) {
        if (other.hasZero) {
            zeroRepeated |= hasZero || other.zeroRepeated;
            hasZero = true;
        }
        for (int i = 0; i < other.keys.length; i++) {
            long k = other.keys[i];
            if (k != 0) {
                addOccurrences(k, other.repeated[i]);
            }
        }
        return this;
    }

    private void grow() {
        long[] oldKeys = keys;
        boolean[] oldRepeated = repeated;
        keys = new long[oldKeys.length * 2];
        repeated = new boolean[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                addOccurrences(oldKeys[i], oldRepeated[i]);
            }
        }
    }

    private static int mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h;
    }
}
