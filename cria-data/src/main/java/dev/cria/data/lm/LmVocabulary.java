package dev.cria.data.lm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The words of an n-gram model, with ids in the order the model lists its unigrams ({@code <unk>} = 0, as KenLM
 * numbers them). Words are UTF-8 byte strings kept in one pool; {@link #find(byte[], int, int)} looks a word up
 * in place, without allocating.
 */
public final class LmVocabulary {
    /** The id every out-of-vocabulary word maps to. */
    public static final int UNK = 0;

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] pool = new byte[1 << 12];
    private int poolSize;
    private int[] offsets = new int[1025];
    private long[] hashes = new long[1024];
    private int size;
    private int[] slots = new int[2048];
    private int mask = 2047;

    /** An empty vocabulary; {@link #add} assigns ids from 0. */
    public LmVocabulary() {
    }

    public int size() {
        return size;
    }

    /** Adds a word and returns its id, or -1 when it is already present. */
    public int add(byte[] bytes, int offset, int length) {
        long h = hash(bytes, offset, length);
        if (findHashed(bytes, offset, length, h) >= 0) {
            return -1;
        }
        if (size == hashes.length) {
            hashes = Arrays.copyOf(hashes, size * 2);
            offsets = Arrays.copyOf(offsets, size * 2 + 1);
        }
        if (poolSize + length > pool.length) {
            pool = Arrays.copyOf(pool, Math.max(pool.length * 2, poolSize + length));
        }
        System.arraycopy(bytes, offset, pool, poolSize, length);
        poolSize += length;
        int id = size++;
        offsets[id + 1] = poolSize;
        hashes[id] = h;
        if (size * 2 > slots.length) {
            rehash(slots.length * 2);
        } else {
            insert(id);
        }
        return id;
    }

    public int add(String word) {
        byte[] b = word.getBytes(StandardCharsets.UTF_8);
        return add(b, 0, b.length);
    }

    /** The id of the word in {@code bytes[offset, offset+length)}, or -1 when it is not in the vocabulary. */
    public int find(byte[] bytes, int offset, int length) {
        return findHashed(bytes, offset, length, hash(bytes, offset, length));
    }

    public int find(String word) {
        byte[] b = word.getBytes(StandardCharsets.UTF_8);
        return find(b, 0, b.length);
    }

    /** The id of a word as a scorer uses it: out-of-vocabulary words are {@link #UNK}. */
    public int index(byte[] bytes, int offset, int length) {
        int id = find(bytes, offset, length);
        return id < 0 ? UNK : id;
    }

    public int index(String word) {
        int id = find(word);
        return id < 0 ? UNK : id;
    }

    public String word(int id) {
        return new String(pool, offsets[id], offsets[id + 1] - offsets[id], StandardCharsets.UTF_8);
    }

    private int findHashed(byte[] bytes, int offset, int length, long h) {
        int i = (int) h & mask;
        while (true) {
            int id = slots[i] - 1;
            if (id < 0) {
                return -1;
            }
            if (hashes[id] == h && offsets[id + 1] - offsets[id] == length
                    && Arrays.equals(pool, offsets[id], offsets[id + 1], bytes, offset, offset + length)) {
                return id;
            }
            i = (i + 1) & mask;
        }
    }

    private void insert(int id) {
        int i = (int) hashes[id] & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = id + 1;
    }

    private void rehash(int capacity) {
        slots = new int[capacity];
        mask = capacity - 1;
        for (int id = 0; id < size; id++) {
            insert(id);
        }
    }

    /** 64-bit hash of a byte string, eight bytes per step. */
    static long hash(byte[] b, int offset, int length) {
        long h = 0x27D4EB2F165667C5L ^ length;
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            h = (h ^ (long) LONG_LE.get(b, i)) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += 8) {
            tail |= (b[i] & 0xFFL) << shift;
        }
        return NgramHash.mix(h ^ tail * 0xC2B2AE3D27D4EB4FL);
    }
}
