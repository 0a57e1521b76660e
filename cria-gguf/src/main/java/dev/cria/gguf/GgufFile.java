package dev.cria.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A memory-mapped GGUF file (versions 2 and 3): its metadata on the heap, and each tensor as a
 * {@link MemorySegment} slice of the mapping, so weights are never copied. Offsets are longs throughout; files
 * beyond 2 GiB are read like any other. Close the file to unmap it; the slices are invalid afterwards.
 *
 * <h2>The format, as this reader relies on it</h2>
 * All numbers are little-endian; a string is a uint64 byte length followed by that many bytes of UTF-8 (no
 * terminator). In order:
 * <ol>
 *   <li>header: the magic bytes {@code "GGUF"}, uint32 version (1 used 32-bit counts and is refused),
 *       uint64 tensor count, uint64 metadata count;</li>
 *   <li>metadata, that many times: string key, uint32 value type ({@link GgufValueType}), the value. An array is
 *       uint32 element type, uint64 count, the elements; an element may itself be an array, with its own element
 *       type and count. Keys are unique;</li>
 *   <li>tensor infos, tensor-count times: string name, uint32 dimension count (at most 4), that many uint64
 *       dimensions (first dimension fastest), uint32 ggml type ({@link GgmlType}), uint64 offset of the tensor's
 *       bytes from the start of the data section. Names are unique;</li>
 *   <li>padding to the alignment, then the data section. The alignment is the UINT32 metadata value
 *       {@code general.alignment} when present (a power of two), otherwise 32. Every tensor offset is a multiple of
 *       it, and writers pad each tensor's bytes to it. A tensor of type T with dims d takes
 *       {@code d0·d1·d2·d3 / blockSize(T) · blockBytes(T)} bytes, and d0 must be a multiple of the block size.</li>
 * </ol>
 * A file without tensors may end before the aligned data section starts. Anything else that does not fit these
 * rules or the file's length is a {@link GgufFormatException} naming the file, the byte offset, the key or
 * tensor, and the type.
 *
 * <p>Where the format leaves room, this reader is strict about content and lenient about layout: every string
 * (keys, values, names) must be well-formed UTF-8 and a BOOL must be 0 or 1, but tensors may sit at any aligned,
 * in-bounds offsets, while llama.cpp also demands that they follow one another in directory order.
 *
 * <p>An open file is immutable and may be shared across threads.
 */
public final class GgufFile implements AutoCloseable {

    private final Path path;
    private final Arena arena;
    private final MemorySegment image;
    private final int version;
    private final long alignment;
    private final long dataOffset;
    private final GgufMetadata metadata;
    private final List<GgufTensor> tensors;
    private final Map<String, GgufTensor> byName;

    private GgufFile(Path path, Arena arena, MemorySegment image, GgufParser.Layout layout) {
        this.path = path;
        this.arena = arena;
        this.image = image;
        this.version = layout.version();
        this.alignment = layout.alignment();
        this.dataOffset = layout.dataOffset();
        this.metadata = layout.metadata();
        Map<String, GgufTensor> named = new LinkedHashMap<>();
        for (GgufTensorInfo info : layout.tensors()) {
            MemorySegment bytes = image.asSlice(dataOffset + info.offset(), info.byteSize());
            named.put(info.name(), new GgufTensor(info, bytes));
        }
        this.byName = Collections.unmodifiableMap(named);
        this.tensors = List.copyOf(named.values());
    }

    /**
     * Maps and parses {@code path}. The mapping belongs to a shared arena: tensor slices may be read from any
     * thread until {@link #close()}.
     *
     * @throws GgufFormatException when the file is not a well-formed GGUF v2/v3 file
     */
    public static GgufFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment image = map(path, arena);
            GgufParser.Layout layout = new GgufParser(path, image).parse();
            return new GgufFile(path, arena, image, layout);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Reads only what lives on the heap: the metadata of {@code path}, after checking the whole file as {@link #open} does. */
    public static GgufMetadata readMetadata(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            return new GgufParser(path, map(path, arena)).parse().metadata();
        }
    }

    private static MemorySegment map(Path path, Arena arena) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
        }
    }

    public Path path() {
        return path;
    }

    /** 2 or 3. */
    public int version() {
        return version;
    }

    /** The data alignment in bytes: {@code general.alignment}, or 32. */
    public long alignment() {
        return alignment;
    }

    /** The file offset where the data section starts (aligned); tensor offsets count from here. */
    public long dataOffset() {
        return dataOffset;
    }

    public long fileSize() {
        return image.byteSize();
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    /** The tensors in file order. */
    public List<GgufTensor> tensors() {
        return tensors;
    }

    public Optional<GgufTensor> findTensor(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** @throws GgufFormatException naming the file when it has no tensor {@code name} */
    public GgufTensor tensor(String name) throws GgufFormatException {
        GgufTensor t = byName.get(name);
        if (t == null) {
            throw new GgufFormatException(path, -1, "no tensor named '" + name + "' (the file has " + tensors.size() + ")");
        }
        return t;
    }

    /** The whole mapped file. */
    public MemorySegment image() {
        return image;
    }

    /** A multi-line summary for {@code cria gguf info}: version, counts, layout, every key with a short value, every tensor. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(path).append('\n');
        out.append("GGUF v").append(version).append(", ").append(fileSize()).append(" bytes, ")
                .append(metadata.size()).append(" metadata keys, ").append(tensors.size()).append(" tensors, alignment ")
                .append(alignment).append(", data at byte ").append(dataOffset).append('\n');
        out.append("metadata:\n").append(metadata.describe());
        if (!tensors.isEmpty()) {
            int nameWidth = 0;
            for (GgufTensor t : tensors) {
                nameWidth = Math.max(nameWidth, t.name().length());
            }
            out.append("tensors:\n");
            for (GgufTensor t : tensors) {
                String dims = Arrays.toString(t.dimensions());
                out.append("  ").append(t.name()).append(" ".repeat(nameWidth - t.name().length()))
                        .append("  ").append(String.format("%-7s %-22s %12d bytes at +%d", t.type(), dims, t.byteSize(),
                                t.info().offset()))
                        .append('\n');
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "GgufFile[" + path + ", v" + version + ", " + metadata.size() + " keys, " + tensors.size() + " tensors]";
    }

    /** Unmaps the file; tensor segments must not be used afterwards. Closing again does nothing. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
