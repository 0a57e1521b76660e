package dev.cria.model.io.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cria.tensor.DType;
import dev.cria.tensor.Layouts;
import dev.cria.tensor.Matrix;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Collects tensors and {@code __metadata__} strings, then writes a safetensors file as the reference
 * implementation lays one out: tensors ordered by element size (largest first), then by name; the header
 * padded with spaces so that the data section starts at a multiple of 8, which keeps every tensor aligned to its
 * element size; tensors back to back, with no hole.
 *
 * <p>{@link #write(Path)} writes a temporary file beside the target, forces it to disk and renames it over the
 * target: a reader never sees half a file, and a failed write leaves the target as it was.
 */
public final class SafetensorsWriter {

    private static final int COPY_CHUNK = 1 << 20;

    /**
     * A tensor waiting to be written: raw bytes already in {@code dtype}, or a matrix converted row by row while the
     * file is written (so converting a large model never holds a second copy of it in memory).
     */
    public record Entry(String name, SafetensorsDType dtype, long[] shape, long byteSize, MemorySegment data, Matrix matrix) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, Entry> tensors = new LinkedHashMap<>();

    /** Sets a {@code __metadata__} string. */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Adds a tensor whose bytes are {@code data}, already little-endian in {@code dtype}. The segment must stay
     * alive and unchanged until {@link #write} returns.
     *
     * @throws IllegalArgumentException when the name is taken or reserved, a dimension is negative, or the byte
     *                                  count disagrees with dtype and shape
     */
    public SafetensorsWriter add(String name, SafetensorsDType dtype, long[] shape, MemorySegment data) {
        checkName(name);
        long expected = byteSize(name, dtype, shape);
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' (" + dtype + " " + Arrays.toString(shape) + ") needs "
                    + expected + " bytes, got " + data.byteSize());
        }
        tensors.put(name, new Entry(name, dtype, shape, expected, data, null));
        return this;
    }

    /**
     * Adds {@code matrix} as a 2-D tensor of {@code dtype} (F32, F16 or BF16). A matrix already in that format is
     * written from its bytes; any other (quantized included) is dequantized row by row and rounded to
     * {@code dtype} (to nearest even) while the file is written. The matrix must stay readable until then.
     */
    public SafetensorsWriter add(String name, Matrix matrix, SafetensorsDType dtype) {
        DType target = dtype.weightType().orElseThrow(() -> new IllegalArgumentException(
                "tensor '" + name + "': matrices are written as F32, F16 or BF16, not " + dtype));
        checkName(name);
        long[] shape = {matrix.rows(), matrix.cols()};
        long size = byteSize(name, dtype, shape);
        Entry e = matrix.type() == target
                ? new Entry(name, dtype, shape, size, matrix.data(), null)
                : new Entry(name, dtype, shape, size, null, matrix);
        tensors.put(name, e);
        return this;
    }

    private void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.equals(SafetensorsFile.METADATA_KEY)) {
            throw new IllegalArgumentException("'" + name + "' is reserved for metadata");
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' was already added");
        }
    }

    private static long byteSize(String name, SafetensorsDType dtype, long[] shape) {
        long expected = dtype.byteSize();
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension: " + Arrays.toString(shape));
            }
            expected = Math.multiplyExact(expected, d);
        }
        return expected;
    }

    /** Adds an F32 tensor; the values are copied. */
    public SafetensorsWriter add(String name, float[] values, long... shape) {
        return add(name, values, SafetensorsDType.F32, shape);
    }

    /** Adds a tensor of {@code dtype} (F32, F16 or BF16) holding {@code values} rounded to nearest even; copies. */
    public SafetensorsWriter add(String name, float[] values, SafetensorsDType dtype, long... shape) {
        MemorySegment bytes = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, dtype.byteSize())]);
        encode(values, dtype, bytes);
        return add(name, dtype, shape, bytes);
    }

    private static void encode(float[] values, SafetensorsDType dtype, MemorySegment out) {
        switch (dtype) {
            case F32 -> MemorySegment.copy(values, 0, out, Layouts.F32, 0, values.length);
            case F16 -> {
                for (int c = 0; c < values.length; c++) {
                    out.set(Layouts.I16, 2L * c, Layouts.f32ToF16(values[c]));
                }
            }
            case BF16 -> {
                for (int c = 0; c < values.length; c++) {
                    out.set(Layouts.I16, 2L * c, Layouts.f32ToBf16(values[c]));
                }
            }
            default -> throw new IllegalArgumentException("floats are written as F32, F16 or BF16, not " + dtype);
        }
    }

    /** The bytes of tensor data added so far. */
    public long dataBytes() {
        long n = 0;
        for (Entry e : tensors.values()) {
            n += e.byteSize();
        }
        return n;
    }

    /** The tensors in the order they will be written. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>(tensors.values());
        out.sort(Comparator.comparingInt((Entry e) -> -e.dtype().byteSize()).thenComparing(Entry::name));
        return out;
    }

    /** Writes the file atomically (see the class comment). */
    public void write(Path target) throws IOException {
        List<Entry> ordered = entries();
        byte[] header = header(ordered);
        Path temp = createTemp(target.toAbsolutePath().getParent(), target.getFileName().toString());
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                byte[] length = new byte[8];
                for (int b = 0; b < 8; b++) {
                    length[b] = (byte) ((long) header.length >>> (8 * b));
                }
                out.write(length);
                out.write(header);
                byte[] chunk = new byte[COPY_CHUNK];
                for (Entry e : ordered) {
                    if (e.data() != null) {
                        copy(e.data(), out, chunk);
                    } else {
                        convert(e.matrix(), e.dtype(), out);
                    }
                }
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

    private byte[] header(List<Entry> ordered) throws IOException {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsFile.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Entry e : ordered) {
            ObjectNode t = root.putObject(e.name());
            t.put("dtype", e.dtype().name());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.shape()) {
                shape.add(d);
            }
            long end = offset + e.byteSize();
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = new ObjectMapper().writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void copy(MemorySegment data, OutputStream out, byte[] chunk) throws IOException {
        for (long at = 0; at < data.byteSize(); at += chunk.length) {
            int n = (int) Math.min(chunk.length, data.byteSize() - at);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    /** Dequantizes each row and writes it little-endian in {@code dtype}. */
    private static void convert(Matrix m, SafetensorsDType dtype, OutputStream out) throws IOException {
        float[] row = new float[m.cols()];
        byte[] bytes = new byte[m.cols() * dtype.byteSize()];
        MemorySegment seg = MemorySegment.ofArray(bytes);
        for (int r = 0; r < m.rows(); r++) {
            m.dequantizeRow(r, row, 0);
            encode(row, dtype, seg);
            out.write(bytes);
        }
    }

    static Path createTemp(Path dir, String name) throws IOException {
        while (true) {
            Path temp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException taken) {
                // Another writer drew the same name; draw again.
            }
        }
    }
}
