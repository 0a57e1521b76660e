package dev.cria.gguf;

import dev.cria.gguf.GgufValue.ArrayOfArrays;
import dev.cria.gguf.GgufValue.ArrayValue;
import dev.cria.gguf.GgufValue.BoolValue;
import dev.cria.gguf.GgufValue.Float32Value;
import dev.cria.gguf.GgufValue.Float64Value;
import dev.cria.gguf.GgufValue.IntegerValue;
import dev.cria.gguf.GgufValue.ScalarArray;
import dev.cria.gguf.GgufValue.StringArray;
import dev.cria.gguf.GgufValue.StringValue;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Collects metadata and tensors, then writes a GGUF v3 file in the layout {@link GgufFile} documents: metadata
 * in insertion order, tensor infos in the order tensors were added, each tensor's bytes at an offset aligned to
 * {@code general.alignment} (32 unless that key is set) and padded with zeros to the alignment.
 *
 * <p>{@link #write(Path)} writes a temporary file in the target's directory, forces it to disk and renames it
 * over the target, so a reader never sees half a file and a failed write leaves the target as it was.
 *
 * <p>Files without nested arrays load in llama.cpp: tensors are laid out back to back in the order added, as its
 * loader requires, and tensor names are kept under its 64-byte limit. Arrays of arrays are valid GGUF and read
 * back here, but llama.cpp's loader refuses them.
 */
public final class GgufWriter {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int COPY_CHUNK = 1 << 20;
    /** ggml's {@code GGML_MAX_NAME}: a tensor name and its terminating zero fit in 64 bytes. */
    static final int MAX_TENSOR_NAME_BYTES = 64;

    private record PendingTensor(String name, GgmlType type, long[] dims, MemorySegment bytes) {
    }

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final Map<String, PendingTensor> tensors = new LinkedHashMap<>();

    /**
     * Sets {@code key}. A key set again keeps its first position and takes the new value.
     *
     * @throws IllegalArgumentException when the key has an unpaired surrogate (it has no UTF-8 form)
     */
    public GgufWriter put(String key, GgufValue value) {
        Objects.requireNonNull(value, "value");
        Utf8.encode(Objects.requireNonNull(key, "key"), "metadata key");
        metadata.put(key, value);
        return this;
    }

    /** Copies every entry of {@code source}, in its order. */
    public GgufWriter putAll(GgufMetadata source) {
        for (GgufMetadata.Entry e : source) {
            put(e.key(), e.value());
        }
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValue.string(value));
    }

    public GgufWriter putUInt32(String key, long value) {
        return put(key, GgufValue.uint32(value));
    }

    public GgufWriter putInt32(String key, int value) {
        return put(key, GgufValue.int32(value));
    }

    public GgufWriter putUInt64(String key, long value) {
        return put(key, GgufValue.uint64(value));
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValue.float32(value));
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValue.bool(value));
    }

    public GgufWriter putStrings(String key, String... values) {
        return put(key, GgufValue.strings(values));
    }

    public GgufWriter putFloat32s(String key, float... values) {
        return put(key, GgufValue.float32s(values));
    }

    public GgufWriter putInt32s(String key, int... values) {
        return put(key, GgufValue.int32s(values));
    }

    /** Removes {@code key} if present. */
    public GgufWriter remove(String key) {
        metadata.remove(key);
        return this;
    }

    /**
     * Adds a tensor whose bytes are {@code data}, already in the file's layout (little-endian, ggml blocks). The
     * segment is read when {@link #write} runs, so it must stay alive and unchanged until then.
     *
     * @param dims sizes, first dimension fastest (a row-major {@code [rows][cols]} matrix is {@code {cols, rows}})
     * @throws IllegalArgumentException when the name is taken, or {@code data} is not exactly the size
     *                                  {@code type} and {@code dims} call for
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, MemorySegment data) {
        Objects.requireNonNull(name, "name");
        int nameBytes = Utf8.encode(name, "tensor name").length;
        if (nameBytes >= MAX_TENSOR_NAME_BYTES) {
            throw new IllegalArgumentException("tensor name '" + name + "' takes " + nameBytes
                    + " bytes of UTF-8; llama.cpp loads names of at most " + (MAX_TENSOR_NAME_BYTES - 1));
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' was already added");
        }
        long[] shape = dims.clone();
        long expected = type.byteSize(shape);
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' (" + type + " " + Arrays.toString(shape) + ") needs "
                    + expected + " bytes, got " + data.byteSize());
        }
        tensors.put(name, new PendingTensor(name, type, shape, data));
        return this;
    }

    /** Adds a tensor of raw bytes (see {@link #addTensor(String, GgmlType, long[], MemorySegment)}); the array is copied. */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, byte[] data) {
        return addTensor(name, type, dims, MemorySegment.ofArray(data.clone()));
    }

    /** Adds an F32 tensor; the floats are copied and stored little-endian. */
    public GgufWriter addTensor(String name, long[] dims, float[] data) {
        MemorySegment bytes = MemorySegment.ofArray(new byte[Math.multiplyExact(data.length, 4)]);
        MemorySegment.copy(data, 0, bytes, F32, 0, data.length);
        return addTensor(name, GgmlType.F32, dims, bytes);
    }

    /**
     * Writes the file atomically: to a temporary file beside {@code target}, forced to disk, then renamed over it.
     *
     * @throws IllegalStateException when {@code general.alignment} is set but is not a UINT32 power of two
     */
    public void write(Path target) throws IOException {
        long alignment = alignment();
        Path dir = target.toAbsolutePath().getParent();
        Path temp = createTemp(dir, target.getFileName().toString());
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                LittleEndianOut out = new LittleEndianOut(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
                writeTo(out, alignment);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private long alignment() {
        GgufValue v = metadata.get(GgufParser.ALIGNMENT_KEY);
        if (v == null) {
            return GgufParser.DEFAULT_ALIGNMENT;
        }
        if (v instanceof IntegerValue i && i.type() == GgufValueType.UINT32 && Long.bitCount(i.bits()) == 1) {
            return i.bits();
        }
        throw new IllegalStateException(GgufParser.ALIGNMENT_KEY + " must be a UINT32 power of two, is " + v.type() + " "
                + v.summary());
    }

    private static Path createTemp(Path dir, String name) throws IOException {
        while (true) {
            Path temp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException taken) {
                // Another writer drew the same name; draw again.
            }
        }
    }

    private void writeTo(LittleEndianOut out, long alignment) throws IOException {
        out.bytes(new byte[] {'G', 'G', 'U', 'F'});
        out.u32(3);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
            out.string(e.getKey(), "metadata key");
            out.u32(e.getValue().type().id());
            writeValue(out, e.getKey(), e.getValue());
        }
        List<Long> offsets = new ArrayList<>(tensors.size());
        long next = 0;
        for (PendingTensor t : tensors.values()) {
            out.string(t.name(), "tensor name");
            out.u32(t.dims().length);
            for (long d : t.dims()) {
                out.u64(d);
            }
            out.u32(t.type().id());
            out.u64(next);
            offsets.add(next);
            next = GgufParser.alignUp(next + t.bytes().byteSize(), alignment);
        }
        if (tensors.isEmpty()) {
            return;
        }
        out.pad(alignment);
        for (PendingTensor t : tensors.values()) {
            out.segment(t.bytes());
            out.pad(alignment);
        }
    }

    private static void writeValue(LittleEndianOut out, String key, GgufValue value) throws IOException {
        switch (value) {
            case IntegerValue i -> out.integer(i.bits(), i.type().byteSize());
            case Float32Value f -> out.u32(Float.floatToRawIntBits(f.value()));
            case Float64Value d -> out.u64(Double.doubleToRawLongBits(d.value()));
            case BoolValue b -> out.u8(b.value() ? 1 : 0);
            case StringValue s -> out.string(s.value(), "value of '" + key + "'");
            case ArrayValue a -> writeArray(out, key, a);
        }
    }

    private static void writeArray(LittleEndianOut out, String key, ArrayValue array) throws IOException {
        out.u32(array.elementType().id());
        out.u64(array.size());
        switch (array) {
            case ScalarArray s -> out.bytes(s.bytes());
            case StringArray s -> {
                for (int i = 0; i < s.size(); i++) {
                    out.string(s.get(i), "array '" + key + "'");
                }
            }
            case ArrayOfArrays nested -> {
                for (ArrayValue inner : nested.elements()) {
                    writeArray(out, key, inner);
                }
            }
        }
    }

    /** Little-endian primitives over a stream, counting bytes so that padding can be computed. */
    private static final class LittleEndianOut {
        private final OutputStream out;
        private final byte[] chunk = new byte[8];
        private byte[] copyBuffer;
        private long written;

        LittleEndianOut(OutputStream out) {
            this.out = out;
        }

        void u8(int v) throws IOException {
            out.write(v);
            written++;
        }

        void u32(long v) throws IOException {
            integer(v, 4);
        }

        void u64(long v) throws IOException {
            integer(v, 8);
        }

        void integer(long v, int width) throws IOException {
            for (int b = 0; b < width; b++) {
                chunk[b] = (byte) (v >>> (8 * b));
            }
            out.write(chunk, 0, width);
            written += width;
        }

        void bytes(byte[] bytes) throws IOException {
            out.write(bytes);
            written += bytes.length;
        }

        void string(String s, String what) throws IOException {
            byte[] utf8 = Utf8.encode(s, what);
            u64(utf8.length);
            bytes(utf8);
        }

        /** Zeros up to the next multiple of {@code alignment}. */
        void pad(long alignment) throws IOException {
            long target = GgufParser.alignUp(written, alignment);
            while (written < target) {
                u8(0);
            }
        }

        void segment(MemorySegment data) throws IOException {
            if (copyBuffer == null) {
                copyBuffer = new byte[COPY_CHUNK];
            }
            for (long at = 0; at < data.byteSize(); at += COPY_CHUNK) {
                int n = (int) Math.min(COPY_CHUNK, data.byteSize() - at);
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, copyBuffer, 0, n);
                out.write(copyBuffer, 0, n);
                written += n;
            }
        }

        void flush() throws IOException {
            out.flush();
        }
    }
}
