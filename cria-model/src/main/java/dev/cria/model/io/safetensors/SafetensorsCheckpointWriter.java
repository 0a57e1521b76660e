package dev.cria.model.io.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes tensors as a Hugging Face checkpoint: {@value SafetensorsCheckpoint#SINGLE_FILE} when they fit in one
 * shard, otherwise {@code model-00001-of-0000N.safetensors} files and {@value SafetensorsCheckpoint#INDEX_FILE}
 * (with {@code metadata.total_size}, the sum of tensor bytes, and the {@code weight_map}).
 *
 * <p>Shards are filled greedily in the writer's order, as {@code transformers} does: a tensor that would push the
 * current shard past the limit starts a new one, and a tensor larger than the limit gets a shard of its own. Each
 * file is written atomically and the index last, so a reader that finds the index finds every shard it names;
 * a stale index (or single file) of the other layout is removed, so the folder holds one checkpoint.
 */
public final class SafetensorsCheckpointWriter {
    private SafetensorsCheckpointWriter() {
    }

    /**
     * @param dir           the checkpoint folder (created if needed)
     * @param tensors       the tensors, in the writer's order
     * @param shardMetadata {@code __metadata__} strings for every shard (Hugging Face writes {@code format: pt})
     * @param maxShardBytes the largest shard, in tensor bytes
     * @return the files written, shards first
     */
    public static List<Path> write(Path dir, SafetensorsWriter tensors, Map<String, String> shardMetadata, long maxShardBytes)
            throws IOException {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("shard size must be positive, got " + maxShardBytes);
        }
        Files.createDirectories(dir);
        List<List<SafetensorsWriter.Entry>> groups = new ArrayList<>();
        List<SafetensorsWriter.Entry> current = new ArrayList<>();
        long currentBytes = 0;
        for (SafetensorsWriter.Entry e : tensors.entries()) {
            long size = e.byteSize();
            if (!current.isEmpty() && currentBytes + size > maxShardBytes) {
                groups.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(e);
            currentBytes += size;
        }
        groups.add(current);
        List<Path> written = new ArrayList<>();
        if (groups.size() == 1) {
            Path file = dir.resolve(SafetensorsCheckpoint.SINGLE_FILE);
            shard(groups.get(0), shardMetadata).write(file);
            written.add(file);
            Files.deleteIfExists(dir.resolve(SafetensorsCheckpoint.INDEX_FILE));
            return written;
        }
        ObjectNode index = JsonNodeFactory.instance.objectNode();
        index.putObject("metadata").put("total_size", tensors.dataBytes());
        ObjectNode weightMap = index.putObject("weight_map");
        for (int i = 0; i < groups.size(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i + 1, groups.size());
            Path file = dir.resolve(name);
            shard(groups.get(i), shardMetadata).write(file);
            written.add(file);
            for (SafetensorsWriter.Entry e : groups.get(i)) {
                weightMap.put(e.name(), name);
            }
        }
        Path indexFile = dir.resolve(SafetensorsCheckpoint.INDEX_FILE);
        Path temp = SafetensorsWriter.createTemp(indexFile.toAbsolutePath().getParent(), indexFile.getFileName().toString());
        try {
            Files.write(temp, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(index));
            Files.move(temp, indexFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        written.add(indexFile);
        Files.deleteIfExists(dir.resolve(SafetensorsCheckpoint.SINGLE_FILE));
        return written;
    }

    private static SafetensorsWriter shard(List<SafetensorsWriter.Entry> entries, Map<String, String> metadata) {
        SafetensorsWriter w = new SafetensorsWriter();
        metadata.forEach(w::metadata);
        for (SafetensorsWriter.Entry e : entries) {
            if (e.data() != null) {
                w.add(e.name(), e.dtype(), e.shape(), e.data());
            } else {
                w.add(e.name(), e.matrix(), e.dtype());
            }
        }
        return w;
    }
}
