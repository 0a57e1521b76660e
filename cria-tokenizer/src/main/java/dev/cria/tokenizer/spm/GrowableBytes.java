package dev.cria.tokenizer.spm;

import java.util.Arrays;

/** A reusable append-only byte buffer, so the hot encode path allocates nothing once warm. */
final class GrowableBytes {
    byte[] data;
    int length;

    GrowableBytes(int capacity) {
        data = new byte[Math.max(16, capacity)];
    }

    void clear() {
        length = 0;
    }

    void ensure(int extra) {
        if (length + extra > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, length + extra));
        }
    }

    void add(byte b) {
        if (length == data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        data[length++] = b;
    }

    void add(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, data, length, len);
        length += len;
    }

    void add(byte[] src) {
        add(src, 0, src.length);
    }

    boolean endsWith(byte[] suffix) {
        if (length < suffix.length) {
            return false;
        }
        return Arrays.equals(data, length - suffix.length, length, suffix, 0, suffix.length);
    }
}
