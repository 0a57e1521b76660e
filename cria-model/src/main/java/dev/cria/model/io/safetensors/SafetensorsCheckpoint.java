package dev.cria.model.io.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tensors of a checkpoint stored as one safetensors file or as shards listed by an index
 * ({@code model.safetensors.index.json}: {@code {"metadata": {...}, "weight_map": {"tensor name": "shard file"}}},
 * shard files beside the index).
 *
 * <p>Opening checks every shard as {@link SafetensorsFile} does, that each shard the index names exists in the
 * folder (names with a path separator are refused), that each tensor of the weight map is in the shard it is
 * mapped to, and that no tensor appears in two shards.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {

    /** The file name Hugging Face gives a single-file checkpoint. */
    public static final String SINGLE_FILE = "model.safetensors";
    /** The file name Hugging Face gives the index of a sharded checkpoint. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private final Path source;
    private final List<SafetensorsFile> shards;
    private final Map<String, SafetensorsTensor> tensors;
    private final Map<String, String> metadata;

    private SafetensorsCheckpoint(Path source, List<SafetensorsFile> shards, Map<String, SafetensorsTensor> tensors,
                                  Map<String, String> metadata) {
        this.source = source;
        this.shards = List.copyOf(shards);
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = metadata;
    }

    /**
     * Opens {@code path}: a {@code .safetensors} file, an index file, or a folder holding
     * {@value #INDEX_FILE} (preferred) or {@value #SINGLE_FILE}. Each shard is mapped in an arena of its own,
     * released by {@link #close()}.
     */
    public static SafetensorsCheckpoint open(Path path) throws IOException {
        return open(path, null);
    }

    /**
     * As {@link #open(Path)}, mapping every shard in {@code arena}, which the caller owns ({@link Arena#ofAuto()}
     * unmaps when the tensors are unreachable); {@code null} gives each shard an arena of its own.
     */
    public static SafetensorsCheckpoint open(Path path, Arena arena) throws IOException {
        Path file = resolve(path);
        if (file.getFileName().toString().endsWith(".json")) {
            return openIndex(file, arena);
        }
        SafetensorsFile single = arena == null ? SafetensorsFile.open(file) : SafetensorsFile.open(file, arena);
        Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        for (SafetensorsTensor t : single.tensors()) {
            tensors.put(t.name(), t);
        }
        return new SafetensorsCheckpoint(file, List.of(single), tensors, single.metadata());
    }

    /** The file {@link #open} reads for {@code path}. */
    public static Path resolve(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            if (!Files.isRegularFile(path)) {
                throw new NoSuchFileException(path.toString(), null, "no such safetensors file or folder");
            }
            return path;
        }
        Path index = path.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return index;
        }
        Path single = path.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            return single;
        }
        throw new NoSuchFileException(path.toString(), null, "folder has neither " + INDEX_FILE + " nor " + SINGLE_FILE);
    }

    private static SafetensorsCheckpoint openIndex(Path index, Arena arena) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(index));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            throw new SafetensorsFormatException(index, at, "index is not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new SafetensorsFormatException(index, -1, "index has no 'weight_map' object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = root.get("metadata");
        if (meta != null && meta.isObject()) {
            for (Map.Entry<String, JsonNode> e : meta.properties()) {
                metadata.put(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString());
            }
        }
        Path dir = index.toAbsolutePath().getParent();
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonNode> e : map.properties()) {
                String name = e.getKey();
                if (!e.getValue().isTextual()) {
                    throw new SafetensorsFormatException(index, -1, "weight_map['" + name + "'] must be a file name, is " + e.getValue());
                }
                String shardName = e.getValue().textValue();
                if (shardName.isEmpty() || shardName.contains("/") || shardName.contains("\\") || shardName.equals("..")
                        || shardName.equals(".")) {
                    throw new SafetensorsFormatException(index, -1, "weight_map['" + name + "'] names '" + shardName
                            + "', which is not a file beside the index");
                }
                SafetensorsFile shard = shards.get(shardName);
                if (shard == null) {
                    Path shardPath = dir.resolve(shardName);
                    if (!Files.isRegularFile(shardPath)) {
                        throw new SafetensorsFormatException(index, -1, "weight_map['" + name + "'] names shard '" + shardName
                                + "', which does not exist in " + dir);
                    }
                    shard = arena == null ? SafetensorsFile.open(shardPath) : SafetensorsFile.open(shardPath, arena);
                    shards.put(shardName, shard);
                }
                Optional<SafetensorsTensor> t = shard.find(name);
                if (t.isEmpty()) {
                    throw new SafetensorsFormatException(index, -1, "weight_map puts '" + name + "' in '" + shardName
                            + "', which has no such tensor");
                }
                tensors.put(name, t.get());
            }
            Map<String, String> owner = new LinkedHashMap<>();
            for (Map.Entry<String, SafetensorsFile> s : shards.entrySet()) {
                for (SafetensorsTensor t : s.getValue().tensors()) {
                    String before = owner.putIfAbsent(t.name(), s.getKey());
                    if (before != null) {
                        throw new SafetensorsFormatException(index, -1, "tensor '" + t.name() + "' appears in both '" + before
                                + "' and '" + s.getKey() + "'");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
        return new SafetensorsCheckpoint(index, new ArrayList<>(shards.values()), tensors, Collections.unmodifiableMap(metadata));
    }

    /** The file opened: the single file or the index. */
    public Path source() {
        return source;
    }

    public List<SafetensorsFile> shards() {
        return shards;
    }

    /** The metadata of the single file, or of the index. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor names: the weight map's order, or the single file's data order. */
    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    public Optional<SafetensorsTensor> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** @throws SafetensorsFormatException naming the checkpoint when it has no tensor {@code name} */
    public SafetensorsTensor tensor(String name) throws SafetensorsFormatException {
        SafetensorsTensor t = tensors.get(name);
        if (t == null) {
            throw new SafetensorsFormatException(source, -1, "no tensor named '" + name + "' (the checkpoint has " + tensors.size() + ")");
        }
        return t;
    }

    @Override
    public void close() {
        shards.forEach(SafetensorsFile::close);
    }
}
