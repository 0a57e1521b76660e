package dev.cria.data.lid;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Little-endian reads over a fastText model file that know where they are, so every error names the file, the
 * offset and the field that was expected there.
 */
final class ModelInput {
    private final String file;
    private final ByteBuffer buffer;

    ModelInput(String file, ByteBuffer buffer) {
        this.file = file;
        this.buffer = buffer.order(ByteOrder.LITTLE_ENDIAN);
    }

    long offset() {
        return buffer.position();
    }

    int remaining() {
        return buffer.remaining();
    }

    int int32(String field) throws FastTextFormatException {
        need(4, field);
        return buffer.getInt();
    }

    long int64(String field) throws FastTextFormatException {
        need(8, field);
        return buffer.getLong();
    }

    double float64(String field) throws FastTextFormatException {
        need(8, field);
        return buffer.getDouble();
    }

    byte int8(String field) throws FastTextFormatException {
        need(1, field);
        return buffer.get();
    }

    boolean bool(String field) throws FastTextFormatException {
        long at = offset();
        byte b = int8(field);
        if (b != 0 && b != 1) {
            throw error(at, field + ": expected a bool (0 or 1), found " + (b & 0xff));
        }
        return b == 1;
    }

    /** A NUL-terminated byte string. */
    byte[] cString(String field) throws FastTextFormatException {
        int start = buffer.position();
        for (int i = start; i < buffer.limit(); i++) {
            if (buffer.get(i) == 0) {
                byte[] bytes = new byte[i - start];
                buffer.get(bytes);
                buffer.get();
                return bytes;
            }
        }
        throw error(start, "truncated: " + field + " has no terminating NUL before the end of the file");
    }

    void floats(float[] into, String field) throws FastTextFormatException {
        need(4L * into.length, field);
        buffer.asFloatBuffer().get(into);
        buffer.position(buffer.position() + 4 * into.length);
    }

    void bytes(byte[] into, String field) throws FastTextFormatException {
        need(into.length, field);
        buffer.get(into);
    }

    FastTextFormatException error(long at, String message) {
        return new FastTextFormatException(file + ": at offset " + at + ": " + message);
    }

    private void need(long n, String field) throws FastTextFormatException {
        if (buffer.remaining() < n) {
            throw error(offset(), "truncated: expected " + n + " bytes of " + field + ", the file has "
                    + buffer.remaining() + " left");
        }
    }
}
