package dev.cria.model.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken sharded checkpoints: the index is checked against the shards it names. */
class SafetensorsCheckpointTest {

    @TempDir
    Path dir;

    @BeforeEach
    void shards() throws IOException {
        new SafetensorsWriter().add("a", new float[] {1}, 1).write(dir.resolve("s1.safetensors"));
        new SafetensorsWriter().add("b", new float[] {2}, 1).write(dir.resolve("s2.safetensors"));
    }

    private SafetensorsFormatException brokenIndex(String weightMap) throws IOException {
        Path index = dir.resolve(SafetensorsCheckpoint.INDEX_FILE);
        Files.writeString(index, "{\"metadata\":{},\"weight_map\":" + weightMap + "}");
        return assertThrows(SafetensorsFormatException.class, () -> SafetensorsCheckpoint.open(dir));
    }

    private String prefix() {
        return dir.resolve(SafetensorsCheckpoint.INDEX_FILE) + ": ";
    }

    @Test
    void indexNamingAMissingShardIsRefused() throws IOException {
        SafetensorsFormatException e = brokenIndex("{\"a\":\"s1.safetensors\",\"b\":\"s3.safetensors\"}");
        assertEquals(prefix() + "weight_map['b'] names shard 's3.safetensors', which does not exist in " + dir.toAbsolutePath(),
                e.getMessage());
    }

    @Test
    void indexPuttingATensorInTheWrongShardIsRefused() throws IOException {
        SafetensorsFormatException e = brokenIndex("{\"a\":\"s2.safetensors\"}");
        assertEquals(prefix() + "weight_map puts 'a' in 's2.safetensors', which has no such tensor", e.getMessage());
    }

    @Test
    void tensorInTwoShardsIsRefused() throws IOException {
        new SafetensorsWriter().add("a", new float[] {3}, 1).add("c", new float[] {3}, 1).write(dir.resolve("s3.safetensors"));
        SafetensorsFormatException e = brokenIndex("{\"a\":\"s1.safetensors\",\"c\":\"s3.safetensors\"}");
        assertEquals(prefix() + "tensor 'a' appears in both 's1.safetensors' and 's3.safetensors'", e.getMessage());
    }

    @Test
    void shardOutsideTheFolderIsRefused() throws IOException {
        SafetensorsFormatException e = brokenIndex("{\"a\":\"../s1.safetensors\"}");
        assertEquals(prefix() + "weight_map['a'] names '../s1.safetensors', which is not a file beside the index", e.getMessage());
    }

    @Test
    void readsAGoodIndexAndItsMetadata() throws IOException {
        Files.writeString(dir.resolve(SafetensorsCheckpoint.INDEX_FILE),
                "{\"metadata\":{\"total_size\":8},\"weight_map\":{\"a\":\"s1.safetensors\",\"b\":\"s2.safetensors\"}}");
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir)) {
            assertEquals(Map.of("total_size", "8"), c.metadata());
            assertEquals(2f, c.tensor("b").toFloatArray()[0]);
            SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> c.tensor("z"));
            assertEquals(prefix() + "no tensor named 'z' (the checkpoint has 2)", e.getMessage());
        }
    }

    @Test
    void folderWithoutCheckpointSaysWhatIsMissing() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SafetensorsCheckpoint.open(empty));
        assertEquals(empty + ": folder has neither model.safetensors.index.json nor model.safetensors", e.getMessage());
    }
}
