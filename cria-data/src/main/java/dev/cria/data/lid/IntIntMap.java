package dev.cria.data.lid;

import java.util.Arrays;

/** Non-negative int keys to int values, open addressing; iteration follows insertion order. */
final class IntIntMap {
    private final int[] keys;
    private final int[] values;
    private final int[] orderKeys;
    private final int[] orderValues;
    private final int mask;
    private int size;

    IntIntMap(int capacity) {
        int slots = Integer.highestOneBit(Math.max(4, capacity * 2 + 1)) << 1;
        keys = new int[slots];
        values = new int[slots];
        Arrays.fill(keys, -1);
        mask = slots - 1;
        orderKeys = new int[capacity];
        orderValues = new int[capacity];
    }

    void put(int key, int value) {
        int s = slot(key);
        if (keys[s] == key) {
            values[s] = value;
            for (int i = 0; i < size; i++) {
                if (orderKeys[i] == key) {
                    orderValues[i] = value;
                }
            }
            return;
        }
        keys[s] = key;
        values[s] = value;
        orderKeys[size] = key;
        orderValues[size] = value;
        size++;
    }

    /** The value of {@code key}, or −1. */
    int get(int key) {
        int s = slot(key);
        return keys[s] == key ? values[s] : -1;
    }

    int size() {
        return size;
    }

    int keyAt(int i) {
        return orderKeys[i];
    }

    int valueAt(int i) {
        return orderValues[i];
    }

    private int slot(int key) {
        int mix = key * 0x9E3779B9;
        int s = (mix ^ (mix >>> 16)) & mask;
        while (keys[s] != -1 && keys[s] != key) {
            s = (s + 1) & mask;
        }
        return s;
    }
}
