package dev.cria.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds GGUF bytes field by field, written from the format description alone and free to break its rules, so
 * tests can feed the reader files that {@link GgufWriter} would never produce.
 */
final class RawGguf {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Magic, version, tensor count, metadata count. */
    static RawGguf header(int version, long tensorCount, long kvCount) {
        return new RawGguf().bytes("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(version).u64(tensorCount).u64(kvCount);
    }

    RawGguf u8(int v) {
        out.write(v);
        return this;
    }

    RawGguf u16(int v) {
        return u8(v).u8(v >>> 8);
    }

    RawGguf u32(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    RawGguf u64(long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    RawGguf f32(float v) {
        return u32(Float.floatToRawIntBits(v));
    }

    RawGguf bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /** A GGUF string: uint64 length, then the bytes as given (which need not be UTF-8). */
    RawGguf str(byte[] utf8) {
        return u64(utf8.length).bytes(utf8);
    }

    RawGguf str(String s) {
        return str(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A metadata entry header: key then value type; the value follows with the other methods. */
    RawGguf key(String key, int valueType) {
        return str(key).u32(valueType);
    }

    /** A tensor info: name, dimension count, dimensions, ggml type id, offset. */
    RawGguf tensorInfo(String name, int typeId, long offset, long... dims) {
        str(name).u32(dims.length);
        for (long d : dims) {
            u64(d);
        }
        return u32(typeId).u64(offset);
    }

    /** Zero bytes up to the next multiple of {@code alignment}. */
    RawGguf pad(int alignment) {
        while (out.size() % alignment != 0) {
            out.write(0);
        }
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    Path writeTo(Path file) throws IOException {
        Files.write(file, out.toByteArray());
        return file;
    }
}
