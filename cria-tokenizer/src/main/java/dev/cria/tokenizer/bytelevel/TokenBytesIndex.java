package dev.cria.tokenizer.bytelevel;

import java.util.Arrays;

/**
 * Token bytes → id, looked up by a range of a buffer so that encoding never copies a chunk to ask.
 *
 * <p>Two open-addressing tables with linear probing, each at most half full. Tokens of up to 7 bytes (most
 * words with their leading space) are keyed by their bytes packed into one long with the length in the top
 * byte, so a lookup touches one slot and no token array. Longer tokens are keyed by a hash, kept beside the
 * id in the slot, and confirmed by comparing bytes.
 */
final class TokenBytesIndex {

    private static final int PACKED_MAX = 7;
    private static final long EMPTY = -1L;

    private final byte[][] tokens;
    /** Short tokens: packed key at 2i, id at 2i+1 (same cache line). */
    private final long[] shortSlots;
    private final int shortShift;
    /** Long tokens: {@code hash << 32 | id} per slot, EMPTY when free. */
    private final long[] longSlots;
    private final int longMask;

    /** Indexes {@code tokens[id]} for each id where {@code include[id]}; the first id wins for repeated bytes. */
    TokenBytesIndex(byte[][] tokens, boolean[] include) {
        this.tokens = tokens;
        int shortCount = 0;
        int longCount = 0;
        for (int id = 0; id < tokens.length; id++) {
            if (include[id]) {
                if (tokens[id].length <= PACKED_MAX) {
                    shortCount++;
                } else {
                    longCount++;
                }
            }
        }
        int shortCapacity = tableCapacity(shortCount);
        this.shortSlots = new long[2 * shortCapacity];
        this.shortShift = 64 - Integer.numberOfTrailingZeros(shortCapacity);
        int longCapacity = tableCapacity(longCount);
        this.longSlots = new long[longCapacity];
        this.longMask = longCapacity - 1;
        Arrays.fill(shortSlots, EMPTY);
        Arrays.fill(longSlots, EMPTY);
        for (int id = 0; id < tokens.length; id++) {
            if (include[id] && get(tokens[id]) < 0) {
                insert(id);
            }
        }
    }

    private static int tableCapacity(int count) {
        return Integer.highestOneBit(Math.max(4, count) * 2 - 1) << 1;
    }

    private void insert(int id) {
        byte[] token = tokens[id];
        if (token.length <= PACKED_MAX) {
            long key = pack(token, 0, token.length);
            int slot = shortSlot(key);
            while (shortSlots[2 * slot] != EMPTY) {
                slot = (slot + 1) & (shortSlots.length / 2 - 1);
            }
            shortSlots[2 * slot] = key;
            shortSlots[2 * slot + 1] = id;
        } else {
            int hash = hash(token, 0, token.length);
            int slot = hash & longMask;
            while (longSlots[slot] != EMPTY) {
                slot = (slot + 1) & longMask;
            }
            longSlots[slot] = (long) hash << 32 | id;
        }
    }

    /** The id of the token spelled by {@code buf[from, to)}, or -1. */
    int get(byte[] buf, int from, int to) {
        int length = to - from;
        if (length <= PACKED_MAX) {
            long key = pack(buf, from, to);
            int mask = shortSlots.length / 2 - 1;
            for (int slot = shortSlot(key); ; slot = (slot + 1) & mask) {
                long k = shortSlots[2 * slot];
                if (k == key) {
                    return (int) shortSlots[2 * slot + 1];
                }
                if (k == EMPTY) {
                    return -1;
                }
            }
        }
        int hash = hash(buf, from, to);
        for (int slot = hash & longMask; ; slot = (slot + 1) & longMask) {
            long entry = longSlots[slot];
            if (entry == EMPTY) {
                return -1;
            }
            int id = (int) entry;
            byte[] token = tokens[id];
            if ((int) (entry >>> 32) == hash && token.length == length
                    && Arrays.equals(token, 0, length, buf, from, to)) {
                return id;
            }
        }
    }

    int get(byte[] token) {
        return get(token, 0, token.length);
    }

    /** Up to 7 bytes, little-endian, with the length in the top byte (so "a" and "a\0" differ; never -1). */
    private static long pack(byte[] buf, int from, int to) {
        long key = (long) (to - from) << 56;
        for (int i = from, shift = 0; i < to; i++, shift += 8) {
            key |= (buf[i] & 0xFFL) << shift;
        }
        return key;
    }

    private int shortSlot(long key) {
        // Fibonacci hashing: the top bits of key × 2^64/φ.
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shortShift);
    }

    /** FNV-1a over the bytes, then murmur3's finalizer so that the low bits (the slot) depend on every byte. */
    static int hash(byte[] buf, int from, int to) {
        int h = 0x811C9DC5;
        for (int i = from; i < to; i++) {
            h = (h ^ (buf[i] & 0xFF)) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }
}
