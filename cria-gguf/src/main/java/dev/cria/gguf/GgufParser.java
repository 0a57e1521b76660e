package dev.cria.gguf;

import dev.cria.gguf.GgufMetadata.Entry;
import dev.cria.gguf.GgufValue.ArrayValue;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the header, metadata and tensor directory of a GGUF image, checking every length against the bytes that
 * remain, so that a damaged file ends in a {@link GgufFormatException} and never in an out-of-bounds access.
 * Offsets are longs throughout: files beyond 2 GiB are read the same way.
 */
final class GgufParser {

    /** "GGUF" read as a little-endian uint32. */
    static final int MAGIC = 0x46554747;
    static final long DEFAULT_ALIGNMENT = 32;
    static final String ALIGNMENT_KEY = "general.alignment";

    /** Arrays nest this deep at most; real files use one level, and the limit keeps recursion bounded. */
    static final int MAX_ARRAY_NESTING = 16;
    /** The largest Java array this reader builds, in elements or bytes. */
    private static final long MAX_JAVA_ARRAY = Integer.MAX_VALUE - 8;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Bytes of the file copied to the heap at a time when decoding string arrays; whole strings, so it may grow. */
    private static final int STRING_WINDOW = 1 << 20;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** What a parse finds; tensor offsets are relative to {@code dataOffset}. */
    record Layout(int version, long alignment, long dataOffset, GgufMetadata metadata, List<GgufTensorInfo> tensors) {
    }

    private final Path file;
    private final MemorySegment image;
    private final long size;
    private long pos;
    private byte[] scratch = new byte[256];

    GgufParser(Path file, MemorySegment image) {
        this.file = file;
        this.image = image;
        this.size = image.byteSize();
    }

    Layout parse() throws GgufFormatException {
        int version = readHeader();
        long countsAt = pos;
        long tensorCount = readCount("tensor count");
        long kvCount = readCount("metadata key-value count");
        // A key-value pair takes at least 13 bytes (key length, value type, a one-byte value) and a tensor info
        // at least 24 (name length, dimension count, type, offset): counts beyond that cannot be right.
        if (kvCount > (size - pos) / 13) {
            throw error(countsAt + 8, "metadata count " + Long.toUnsignedString(kvCount) + " cannot fit in the "
                    + (size - pos) + " bytes after the header");
        }
        if (tensorCount > (size - pos) / 24) {
            throw error(countsAt, "tensor count " + Long.toUnsignedString(tensorCount) + " cannot fit in the "
                    + (size - pos) + " bytes after the header");
        }
        GgufMetadata metadata = readMetadata(kvCount);
        long alignment = alignment(metadata);
        List<GgufTensorInfo> tensors = readTensorInfos(tensorCount, alignment);
        long dataOffset = alignUp(pos, alignment);
        return new Layout(version, alignment, dataOffset, metadata, tensors);
    }

    private int readHeader() throws GgufFormatException {
        need(4, "the magic \"GGUF\"");
        int magic = image.get(I32, 0);
        if (magic != MAGIC) {
            byte[] found = new byte[4];
            MemorySegment.copy(image, ValueLayout.JAVA_BYTE, 0, found, 0, 4);
            throw error(0, "not a GGUF file: the first bytes are " + hex(found) + ", expected 47 47 55 46 (\"GGUF\")");
        }
        pos = 4;
        need(4, "the version");
        int version = image.get(I32, pos);
        if (version == 1) {
            throw error(pos, "GGUF version 1 is not supported (it used 32-bit counts and lengths); expected version 2 or 3,"
                    + " convert the file again with a current llama.cpp");
        }
        if (version != 2 && version != 3) {
            int swapped = Integer.reverseBytes(version);
            if (swapped >= 1 && swapped <= 3) {
                throw error(pos, "big-endian GGUF (version " + swapped + ") is not supported; expected a little-endian file");
            }
            throw error(pos, "unsupported GGUF version " + Integer.toUnsignedString(version) + ", expected 2 or 3");
        }
        pos += 4;
        return version;
    }

    private long readCount(String what) throws GgufFormatException {
        long at = pos;
        long count = u64(what);
        if (count < 0) {
            throw error(at, what + " " + Long.toUnsignedString(count) + " is impossible");
        }
        return count;
    }

    private GgufMetadata readMetadata(long count) throws GgufFormatException {
        LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
        for (long i = 0; i < count; i++) {
            long at = pos;
            String key = readKey(i);
            Entry earlier = entries.get(key);
            if (earlier != null) {
                throw error(at, "duplicate metadata key '" + key + "' (first at byte " + earlier.offset() + ")");
            }
            long typeAt = pos;
            long typeId = u32("the value type of '" + key + "'");
            GgufValueType type = GgufValueType.byId(typeId).orElseThrow(() -> error(typeAt,
                    "metadata key '" + key + "' has unknown value type " + typeId + " (GGUF defines 0 to 12)"));
            entries.put(key, new Entry(key, readValue(type, key), at));
        }
        return new GgufMetadata(file, entries);
    }

    private String readKey(long index) throws GgufFormatException {
        return readString("metadata key " + index);
    }

    private GgufValue readValue(GgufValueType type, String key) throws GgufFormatException {
        long at = pos;
        return switch (type) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> {
                need(type.byteSize(), type + " value of '" + key + "'");
                long v = integerAt(type, pos);
                pos += type.byteSize();
                yield new GgufValue.IntegerValue(type, v);
            }
            case FLOAT32 -> {
                need(4, "FLOAT32 value of '" + key + "'");
                float v = image.get(F32, pos);
                pos += 4;
                yield new GgufValue.Float32Value(v);
            }
            case FLOAT64 -> {
                need(8, "FLOAT64 value of '" + key + "'");
                double v = image.get(F64, pos);
                pos += 8;
                yield new GgufValue.Float64Value(v);
            }
            case BOOL -> {
                need(1, "BOOL value of '" + key + "'");
                byte b = image.get(ValueLayout.JAVA_BYTE, pos);
                if (b != 0 && b != 1) {
                    throw error(at, "BOOL value of '" + key + "' is " + (b & 0xFF) + ", expected 0 or 1");
                }
                pos += 1;
                yield new GgufValue.BoolValue(b == 1);
            }
            case STRING -> new GgufValue.StringValue(readString("the value of '" + key + "'"));
            case ARRAY -> readArray(key, 0);
        };
    }

    private long integerAt(GgufValueType type, long at) {
        return switch (type) {
            case UINT8 -> image.get(ValueLayout.JAVA_BYTE, at) & 0xFFL;
            case INT8 -> image.get(ValueLayout.JAVA_BYTE, at);
            case UINT16 -> image.get(I16, at) & 0xFFFFL;
            case INT16 -> image.get(I16, at);
            case UINT32 -> image.get(I32, at) & 0xFFFF_FFFFL;
            case INT32 -> image.get(I32, at);
            case UINT64, INT64 -> image.get(I64, at);
            default -> throw new IllegalArgumentException(type + " is not an integer type");
        };
    }

    /** An array: uint32 element type, uint64 count, the elements. Inner arrays repeat the same shape. */
    private ArrayValue readArray(String key, int depth) throws GgufFormatException {
        long at = pos;
        if (depth >= MAX_ARRAY_NESTING) {
            throw error(at, "arrays of '" + key + "' nest deeper than " + MAX_ARRAY_NESTING + " levels");
        }
        long typeId = u32("the element type of array '" + key + "'");
        GgufValueType elementType = GgufValueType.byId(typeId).orElseThrow(() -> error(at,
                "array '" + key + "' has unknown element type " + typeId + " (GGUF defines 0 to 12)"));
        long countAt = pos;
        long count = u64("the length of array '" + key + "'");
        // Each element takes at least its fixed size, 8 bytes for a string's length, 12 for an inner array's header.
        long minBytes = elementType.isFixedSize() ? elementType.byteSize() : elementType == GgufValueType.STRING ? 8 : 12;
        if (count < 0 || count > (size - pos) / minBytes) {
            throw error(countAt, "array '" + key + "' claims " + Long.toUnsignedString(count) + " " + elementType
                    + " elements, more than the " + (size - pos) + " bytes left in the file can hold");
        }
        if (count * minBytes > MAX_JAVA_ARRAY) {
            throw error(countAt, "array '" + key + "' has " + count + " " + elementType + " elements, too many for this reader");
        }
        int n = (int) count;
        if (elementType.isFixedSize()) {
            byte[] bytes = new byte[n * elementType.byteSize()];
            MemorySegment.copy(image, ValueLayout.JAVA_BYTE, pos, bytes, 0, bytes.length);
            if (elementType == GgufValueType.BOOL) {
                for (int i = 0; i < n; i++) {
                    if (bytes[i] != 0 && bytes[i] != 1) {
                        throw error(pos + i, "element " + i + " of BOOL array '" + key + "' is " + (bytes[i] & 0xFF)
                                + ", expected 0 or 1");
                    }
                }
            }
            pos += bytes.length;
            return new GgufValue.ScalarArray(elementType, bytes);
        }
        if (elementType == GgufValueType.STRING) {
            return new GgufValue.StringArray(readStrings("array '" + key + "'", n));
        }
        List<ArrayValue> inner = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            inner.add(readArray(key, depth + 1));
        }
        return new GgufValue.ArrayOfArrays(inner);
    }

    /** One string (a key, a value, a tensor name): uint64 byte length, then UTF-8 bytes. {@code what} names it in messages. */
    private String readString(String what) throws GgufFormatException {
        long at = pos;
        need(8, "the length of " + what);
        long length = image.get(I64, pos);
        if (length < 0 || length > size - pos - 8 || length > MAX_JAVA_ARRAY) {
            checkStringLength(at, length, what);
        }
        pos += 8;
        int n = (int) length;
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, 2 * scratch.length)];
        }
        MemorySegment.copy(image, ValueLayout.JAVA_BYTE, pos, scratch, 0, n);
        String s = Utf8.decodeOrNull(scratch, 0, n);
        if (s == null) {
            throw notUtf8(at, what, scratch, 0, n);
        }
        pos += n;
        return s;
    }

    /**
     * {@code n} consecutive strings. They are decoded from a heap copy of the file, refilled one window at a
     * time, so a 128k-token vocabulary costs a few bulk copies rather than two segment accesses per token.
     */
    private String[] readStrings(String owner, int n) throws GgufFormatException {
        String[] out = new String[n];
        byte[] window = new byte[(int) Math.min(STRING_WINDOW, size - pos)];
        long windowStart = pos;
        int windowLength = 0;
        for (int i = 0; i < n; i++) {
            long at = pos;
            if (at + 8 > windowStart + windowLength) {
                if (8 > size - at) {
                    need(8, "the length of element " + i + " of " + owner);
                }
                windowStart = at;
                windowLength = (int) Math.min(Math.max(window.length, 8), size - at);
                window = fill(window, at, windowLength);
            }
            long length = (long) LONG.get(window, (int) (at - windowStart));
            if (length < 0 || length > size - at - 8 || length > MAX_JAVA_ARRAY) {
                checkStringLength(at, length, "element " + i + " of " + owner);
            }
            if (at + 8 + length > windowStart + windowLength) {
                windowStart = at;
                windowLength = (int) Math.min(Math.max(window.length, 8 + length), size - at);
                window = fill(window, at, windowLength);
            }
            int start = (int) (at + 8 - windowStart);
            String s = Utf8.decodeOrNull(window, start, (int) length);
            if (s == null) {
                throw notUtf8(at, "element " + i + " of " + owner, window, start, (int) length);
            }
            out[i] = s;
            pos = at + 8 + length;
        }
        return out;
    }

    /** Copies {@code length} bytes of the file from {@code from} into {@code window}, growing it if needed. */
    private byte[] fill(byte[] window, long from, int length) {
        byte[] target = window.length >= length ? window : new byte[length];
        MemorySegment.copy(image, ValueLayout.JAVA_BYTE, from, target, 0, length);
        return target;
    }

    /** The string whose length field is at {@code at} and whose bytes are {@code bytes[start, start + length)} is not UTF-8. */
    private GgufFormatException notUtf8(long at, String what, byte[] bytes, int start, int length) {
        int bad = Utf8.firstMalformed(bytes, start, length);
        int shown = Math.min(length, 32);
        return error(at + 8 + bad, what + " is not valid UTF-8: bytes "
                + hex(Arrays.copyOfRange(bytes, start, start + shown)) + (length > shown ? " …" : "")
                + ", malformed from byte " + bad);
    }

    private void checkStringLength(long at, long length, String what) throws GgufFormatException {
        long left = size - at - 8;
        if (length < 0 || length > left) {
            throw error(at, what + " has length " + Long.toUnsignedString(length) + ", but only " + left
                    + " bytes are left in the file");
        }
        if (length > MAX_JAVA_ARRAY) {
            throw error(at, what + " has length " + length + ", too long for this reader");
        }
    }

    private long alignment(GgufMetadata metadata) throws GgufFormatException {
        Entry e = metadata.entry(ALIGNMENT_KEY);
        if (e == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (!(e.value() instanceof GgufValue.IntegerValue v) || v.type() != GgufValueType.UINT32) {
            throw error(e.offset(), ALIGNMENT_KEY + " must be a UINT32, found " + e.value().type());
        }
        if (v.bits() == 0 || Long.bitCount(v.bits()) != 1) {
            throw error(e.offset(), ALIGNMENT_KEY + " is " + v.bits() + ", expected a power of two");
        }
        return v.bits();
    }

    private List<GgufTensorInfo> readTensorInfos(long count, long alignment) throws GgufFormatException {
        List<GgufTensorInfo> infos = new ArrayList<>((int) Math.min(count, 4096));
        List<Long> infoOffsets = new ArrayList<>((int) Math.min(count, 4096));
        Map<String, Long> seen = new HashMap<>();
        for (long i = 0; i < count; i++) {
            long at = pos;
            String name = readString("the name of tensor " + i);
            Long earlier = seen.putIfAbsent(name, at);
            if (earlier != null) {
                throw error(at, "duplicate tensor name '" + name + "' (first at byte " + earlier + ")");
            }
            long rankAt = pos;
            long rank = u32("the dimension count of tensor '" + name + "'");
            if (rank > GgufTensorInfo.MAX_DIMS) {
                throw error(rankAt, "tensor '" + name + "' has " + rank + " dimensions, ggml allows at most "
                        + GgufTensorInfo.MAX_DIMS);
            }
            long[] dims = new long[(int) rank];
            for (int d = 0; d < rank; d++) {
                long dimAt = pos;
                dims[d] = u64("dimension " + d + " of tensor '" + name + "'");
                if (dims[d] < 0) {
                    throw error(dimAt, "dimension " + d + " of tensor '" + name + "' is " + Long.toUnsignedString(dims[d]));
                }
            }
            long typeAt = pos;
            long typeId = u32("the type of tensor '" + name + "'");
            GgmlType type = GgmlType.byId(typeId).orElseThrow(() -> error(typeAt,
                    "tensor '" + name + "' has unknown ggml type " + typeId));
            long offsetAt = pos;
            long offset = u64("the data offset of tensor '" + name + "'");
            if (offset < 0 || offset % alignment != 0) {
                throw error(offsetAt, "tensor '" + name + "' (" + type + ") has data offset " + Long.toUnsignedString(offset)
                        + ", expected a multiple of the alignment " + alignment);
            }
            try {
                infos.add(new GgufTensorInfo(name, type, dims, offset));
            } catch (IllegalArgumentException bad) {
                throw error(at, "tensor '" + name + "' (" + type + " " + Arrays.toString(dims) + "): " + bad.getMessage());
            }
            infoOffsets.add(at);
        }
        long dataOffset = alignUp(pos, alignment);
        for (int i = 0; i < infos.size(); i++) {
            GgufTensorInfo t = infos.get(i);
            long bytes = t.byteSize();
            // Written so that nothing overflows: dataOffset + offset + bytes <= size.
            if (size - dataOffset < 0 || t.offset() > size - dataOffset || bytes > size - dataOffset - t.offset()) {
                throw error(infoOffsets.get(i), "tensor '" + t.name() + "' (" + t.type() + " " + Arrays.toString(t.dimensions())
                        + ", " + bytes + " bytes) at file byte " + (dataOffset + t.offset()) + " runs past the end of the file ("
                        + size + " bytes)");
            }
        }
        return infos;
    }

    static long alignUp(long offset, long alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    private void need(long bytes, String what) throws GgufFormatException {
        if (bytes > size - pos) {
            throw error(pos, "file ends inside " + what + ": needs " + bytes + " bytes, " + (size - pos) + " left (file is "
                    + size + " bytes)");
        }
    }

    private long u32(String what) throws GgufFormatException {
        need(4, what);
        long v = image.get(I32, pos) & 0xFFFF_FFFFL;
        pos += 4;
        return v;
    }

    private long u64(String what) throws GgufFormatException {
        need(8, what);
        long v = image.get(I64, pos);
        pos += 8;
        return v;
    }

    private GgufFormatException error(long offset, String detail) {
        return new GgufFormatException(file, offset, detail);
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(String.format("%02x", b & 0xFF));
        }
        return out.toString();
    }
}
