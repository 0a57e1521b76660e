package dev.cria.tokenizer.bytelevel;

import java.util.Arrays;

/** A growable int array for the ids of one encode call. */
final class IdBuffer {

    private int[] ids;
    private int size;

    IdBuffer(int capacity) {
        ids = new int[Math.max(16, capacity)];
    }

    void add(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
    }

    void addAll(int[] more) {
        if (size + more.length > ids.length) {
            ids = Arrays.copyOf(ids, Math.max(size * 2, size + more.length));
        }
        System.arraycopy(more, 0, ids, size, more.length);
        size += more.length;
    }

    int size() {
        return size;
    }

    /** Ids added since {@code from}, as a new array. */
    int[] copyFrom(int from) {
        return Arrays.copyOfRange(ids, from, size);
    }

    int[] toArray() {
        return Arrays.copyOf(ids, size);
    }
}
