package dev.cria.tokenizer.bytelevel;

import java.util.Arrays;

/**
 * Remembers the ids of recently merged chunks: a direct-mapped table, so its size is fixed and a lookup is
 * one slot.
 *
 * <p>Shared by all threads without locks: an entry is immutable and published through final fields, so a
 * reader sees either a whole entry or another one; a lost store only costs a re-merge.
 */
final class ChunkCache {

    /** Chunks longer than this are merged every time (they are rare, and would make entries large). */
    static final int MAX_CHUNK_BYTES = 48;

    private record Entry(byte[] chunk, int[] ids) {
    }

    private final Entry[] slots;
    private final int mask;

    ChunkCache(int slotsPowerOfTwo) {
        if (Integer.bitCount(slotsPowerOfTwo) != 1) {
            throw new IllegalArgumentException("cache size must be a power of two, got " + slotsPowerOfTwo);
        }
        this.slots = new Entry[slotsPowerOfTwo];
        this.mask = slotsPowerOfTwo - 1;
    }

    /** The cached ids of {@code buf[from, to)} whose hash is {@code hash}, or null. */
    int[] get(byte[] buf, int from, int to, int hash) {
        Entry entry = slots[hash & mask];
        if (entry != null && Arrays.equals(entry.chunk, 0, entry.chunk.length, buf, from, to)) {
            return entry.ids;
        }
        return null;
    }

    void put(byte[] buf, int from, int to, int hash, int[] ids) {
        slots[hash & mask] = new Entry(Arrays.copyOfRange(buf, from, to), ids);
    }
}
