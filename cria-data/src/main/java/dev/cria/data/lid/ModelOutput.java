package dev.cria.data.lid;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian writes of a fastText model file through a small staging buffer. */
final class ModelOutput {
    private final OutputStream out;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    ModelOutput(OutputStream out) {
        this.out = out;
    }

    void int32(int v) throws IOException {
        room(4);
        buffer.putInt(v);
    }

    void int64(long v) throws IOException {
        room(8);
        buffer.putLong(v);
    }

    void float64(double v) throws IOException {
        room(8);
        buffer.putDouble(v);
    }

    void int8(int v) throws IOException {
        room(1);
        buffer.put((byte) v);
    }

    void bytes(byte[] b) throws IOException {
        for (int i = 0; i < b.length; ) {
            room(1);
            int n = Math.min(buffer.remaining(), b.length - i);
            buffer.put(b, i, n);
            i += n;
        }
    }

    void floats(float[] values) throws IOException {
        for (float v : values) {
            room(4);
            buffer.putFloat(v);
        }
    }

    void flush() throws IOException {
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
        out.flush();
    }

    private void room(int n) throws IOException {
        if (buffer.remaining() < n) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
    }
}
