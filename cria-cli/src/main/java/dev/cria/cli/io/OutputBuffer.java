package dev.cria.cli.io;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** A growable byte buffer for one batch's output lines; not thread-safe (one per batch). */
public final class OutputBuffer {

    private byte[] bytes;
    private int size;

    public OutputBuffer(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    public void write(byte b) {
        ensure(1);
        bytes[size++] = b;
    }

    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    public void write(byte[] b, int offset, int length) {
        ensure(length);
        System.arraycopy(b, offset, bytes, size, length);
        size += length;
    }

    /** Appends {@code value} in decimal ASCII, as {@code Integer.toString} spells it, without allocating. */
    public void writeInt(int value) {
        if (value == Integer.MIN_VALUE) {
            write("-2147483648".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return;
        }
        ensure(11);
        if (value < 0) {
            bytes[size++] = '-';
            value = -value;
        }
        int digits = 1;
        for (int v = value; v >= 10; v /= 10) {
            digits++;
        }
        int end = size + digits;
        for (int i = end - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size = end;
    }

    public int size() {
        return size;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    private void ensure(int extra) {
        if (bytes.length - size < extra) {
            long wanted = Math.max((long) bytes.length * 2, (long) size + extra);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new OutOfMemoryError("one batch of output exceeds 2 GiB");
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }
}
