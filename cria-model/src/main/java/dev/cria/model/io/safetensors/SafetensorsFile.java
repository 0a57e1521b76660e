package dev.cria.model.io.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A memory-mapped safetensors file: the header on the heap, each tensor a {@link MemorySegment} slice of the
 * mapping (never copied). Offsets are longs; files beyond 2 GiB read like any other.
 *
 * <h2>The format, as this reader checks it</h2>
 * <ol>
 *   <li>8 bytes: N, the header length, unsigned little-endian. {@code 8 + N} must fit in the file, and N is at
 *       most 100 MB (the reference implementation's limit against hostile headers);</li>
 *   <li>N bytes of UTF-8 JSON, starting with {@code '{'} and possibly padded at the end with spaces: an object
 *       whose keys are tensor names and whose values are
 *       {@code {"dtype": "F16", "shape": [d0, d1, ...], "data_offsets": [begin, end]}}, plus an optional
 *       {@code "__metadata__"} object of string values. Keys are unique;</li>
 *   <li>the data section: the rest of the file. {@code [begin, end)} counts from its start, and
 *       {@code end - begin} is the element count times the dtype's size. The tensors cover the data section
 *       exactly, with no overlap and no hole (the format forbids both: no polyglot files).</li>
 * </ol>
 * Every violation is a {@link SafetensorsFormatException} naming the file, the byte offset and the tensor.
 *
 * <p>An open file is immutable and may be read from any thread; {@link #close()} unmaps it when this object
 * owns its arena.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** The reference implementation's bound on the header length. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena ownedArena;
    private final long dataOffset;
    private final Map<String, String> metadata;
    private final Map<String, SafetensorsTensor> tensors;

    private SafetensorsFile(Path path, Arena ownedArena, long dataOffset, Map<String, String> metadata,
                            Map<String, SafetensorsTensor> tensors) {
        this.path = path;
        this.ownedArena = ownedArena;
        this.dataOffset = dataOffset;
        this.metadata = metadata;
        this.tensors = tensors;
    }

    /** Maps and checks {@code path} in an arena of its own, shared across threads until {@link #close()}. */
    public static SafetensorsFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            return parse(path, map(path, arena), arena);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Maps and checks {@code path} in {@code arena}, which the caller owns: the tensors stay valid while it is
     * alive, and {@link #close()} leaves it alone (pass {@link Arena#ofAuto()} to unmap when unreachable).
     */
    public static SafetensorsFile open(Path path, Arena arena) throws IOException {
        return parse(path, map(path, arena), null);
    }

    private static MemorySegment map(Path path, Arena arena) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
        }
    }

    private static SafetensorsFile parse(Path path, MemorySegment image, Arena owned) throws SafetensorsFormatException {
        long size = image.byteSize();
        if (size < 8) {
            throw new SafetensorsFormatException(path, 0, "file has " + size + " bytes, too short for the 8-byte header length");
        }
        long headerLength = image.get(U64, 0);
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new SafetensorsFormatException(path, 0, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the format's limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (8 + headerLength > size) {
            throw new SafetensorsFormatException(path, 0, "header length " + headerLength + " runs past the end of the file ("
                    + size + " bytes): truncated or not a safetensors file");
        }
        if (headerLength < 2 || image.get(ValueLayout.JAVA_BYTE, 8) != '{') {
            throw new SafetensorsFormatException(path, 8, "header must be a JSON object starting with '{'");
        }
        byte[] header = image.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
        JsonNode root = readJson(path, header);
        long dataOffset = 8 + headerLength;
        MemorySegment data = image.asSlice(dataOffset);
        Map<String, String> metadata = Map.of();
        List<SafetensorsTensor> list = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getKey().equals(METADATA_KEY)) {
                metadata = readMetadata(path, e.getValue());
            } else {
                list.add(readTensor(path, dataOffset, data, e.getKey(), e.getValue()));
            }
        }
        checkCoverage(path, dataOffset, data.byteSize(), list);
        Map<String, SafetensorsTensor> byName = new LinkedHashMap<>();
        for (SafetensorsTensor t : list) {
            byName.put(t.name(), t);
        }
        return new SafetensorsFile(path, owned, dataOffset, metadata, Collections.unmodifiableMap(byName));
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static JsonNode readJson(Path path, byte[] header) throws SafetensorsFormatException {
        try {
            JsonNode root = JSON.readTree(header);
            if (root == null || !root.isObject()) {
                throw new SafetensorsFormatException(path, 8, "header is not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            throw new SafetensorsFormatException(path, at < 0 ? 8 : 8 + at, "header is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SafetensorsFormatException(path, 8, "header is not valid JSON: " + e.getMessage());
        }
    }

    private static Map<String, String> readMetadata(Path path, JsonNode node) throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw new SafetensorsFormatException(path, 8, METADATA_KEY + " must be an object of strings, is " + node.getNodeType());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new SafetensorsFormatException(path, 8, METADATA_KEY + "['" + e.getKey() + "'] must be a string, is "
                        + e.getValue().getNodeType());
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return Collections.unmodifiableMap(out);
    }

    private static SafetensorsTensor readTensor(Path path, long dataOffset, MemorySegment data, String name, JsonNode node)
            throws SafetensorsFormatException {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw new SafetensorsFormatException(path, 8, where + ": entry must be an object, is " + node.getNodeType());
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new SafetensorsFormatException(path, 8, where + ": missing string 'dtype'");
        }
        String dtypeName = dtypeNode.textValue();
        SafetensorsDType dtype = SafetensorsDType.parse(dtypeName).orElseThrow(() -> new SafetensorsFormatException(path, 8,
                where + ": unsupported dtype '" + dtypeName + "' (Cria reads the byte-sized types; weights must be F32, F16 or BF16)"));
        long[] shape = longs(path, where, node.get("shape"), "shape", -1);
        long[] offsets = longs(path, where, node.get("data_offsets"), "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new SafetensorsFormatException(path, 8, where + ": data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        if (end > data.byteSize()) {
            throw new SafetensorsFormatException(path, dataOffset + begin, where + " (" + dtype + " " + Arrays.toString(shape)
                    + "): data_offsets [" + begin + ", " + end + "] run past the data section (" + data.byteSize()
                    + " bytes): truncated file or header lies");
        }
        long expected = dtype.byteSize();
        for (long d : shape) {
            try {
                expected = Math.multiplyExact(expected, d);
            } catch (ArithmeticException overflow) {
                throw new SafetensorsFormatException(path, 8, where + ": shape " + Arrays.toString(shape) + " overflows");
            }
        }
        if (end - begin != expected) {
            throw new SafetensorsFormatException(path, dataOffset + begin, where + " (" + dtype + " " + Arrays.toString(shape)
                    + ") needs " + expected + " bytes, but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
        }
        return new SafetensorsTensor(path, name, dtype, shape, dataOffset + begin, data.asSlice(begin, end - begin));
    }

    private static long[] longs(Path path, String where, JsonNode node, String field, int length) throws SafetensorsFormatException {
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            throw new SafetensorsFormatException(path, 8, where + ": '" + field + "' must be an array"
                    + (length >= 0 ? " of " + length + " integers" : " of integers"));
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new SafetensorsFormatException(path, 8, where + ": '" + field + "'[" + i + "] is " + v
                        + ", expected a non-negative integer");
            }
            out[i] = v.longValue();
        }
        return out;
    }

    /** The tensors must tile the data section: sorted by offset, each starts where the previous ended. */
    private static void checkCoverage(Path path, long dataOffset, long dataSize, List<SafetensorsTensor> list)
            throws SafetensorsFormatException {
        list.sort(Comparator.comparingLong(SafetensorsTensor::fileOffset).thenComparingLong(SafetensorsTensor::byteSize));
        long next = dataOffset;
        String previous = null;
        for (SafetensorsTensor t : list) {
            long begin = t.fileOffset();
            if (begin < next) {
                throw new SafetensorsFormatException(path, begin, "tensor '" + t.name() + "' starts at data byte " + (begin - dataOffset)
                        + ", inside tensor '" + previous + "' (which ends at " + (next - dataOffset) + "): tensors overlap");
            }
            if (begin > next) {
                throw new SafetensorsFormatException(path, next, "data bytes [" + (next - dataOffset) + ", " + (begin - dataOffset)
                        + ") belong to no tensor (before '" + t.name() + "'); the format forbids holes");
            }
            next = begin + t.byteSize();
            previous = t.name();
        }
        if (next != dataOffset + dataSize) {
            throw new SafetensorsFormatException(path, next, "data section has " + dataSize + " bytes but the tensors cover "
                    + (next - dataOffset) + "; the format forbids trailing bytes");
        }
    }

    public Path path() {
        return path;
    }

    /** Where the data section starts: {@code 8 + header length}. */
    public long dataOffset() {
        return dataOffset;
    }

    /** The {@code __metadata__} strings, in header order (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensors in data order. */
    public List<SafetensorsTensor> tensors() {
        return List.copyOf(tensors.values());
    }

    public Optional<SafetensorsTensor> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** @throws SafetensorsFormatException naming the file when it has no tensor {@code name} */
    public SafetensorsTensor tensor(String name) throws SafetensorsFormatException {
        SafetensorsTensor t = tensors.get(name);
        if (t == null) {
            throw new SafetensorsFormatException(path, -1, "no tensor named '" + name + "' (the file has " + tensors.size() + ")");
        }
        return t;
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + tensors.size() + " tensors]";
    }

    /** Unmaps the file when it owns its arena; tensor segments must not be used afterwards. */
    @Override
    public void close() {
        if (ownedArena != null && ownedArena.scope().isAlive()) {
            ownedArena.close();
        }
    }
}
