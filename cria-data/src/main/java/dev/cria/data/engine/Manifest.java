package dev.cria.data.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json} in the output folder: the plan's fingerprint and, per finished shard, the files it wrote and its
 * funnel. A shard is entered only after all its files were renamed into place, and the manifest itself is replaced by
 * rename, so after a kill the manifest names exactly the shards that are complete: a new run skips them and redoes the
 * rest, overwriting any file of an unfinished shard with the same bytes.
 */
public final class Manifest {
    public static final String FILE = "manifest.json";
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** @param files paths relative to the output folder */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ShardEntry(String input, List<String> files, Funnel funnel) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Stored(int version, String fingerprint, Map<Integer, ShardEntry> shards) {
    }

    private final Path file;
    private final String fingerprint;
    private final TreeMap<Integer, ShardEntry> shards;

    private Manifest(Path file, String fingerprint, TreeMap<Integer, ShardEntry> shards) {
        this.file = file;
        this.fingerprint = fingerprint;
        this.shards = shards;
    }

    /** Opens the manifest of {@code dir}, or starts one; a manifest of another plan is an error. */
    public static Manifest open(Path dir, String fingerprint) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return new Manifest(file, fingerprint, new TreeMap<>());
        }
        Stored stored;
        try {
            stored = JSON.readValue(file.toFile(), Stored.class);
        } catch (IOException e) {
            throw new IOException(file + ": not a Cria run manifest: " + e.getMessage(), e);
        }
        if (!fingerprint.equals(stored.fingerprint())) {
            throw new IOException(dir + " holds the output of a different recipe, inputs or parameters (manifest fingerprint "
                    + stored.fingerprint().substring(0, 12) + ", this run " + fingerprint.substring(0, 12)
                    + "): choose another --output folder, or delete this one to start over");
        }
        return new Manifest(file, fingerprint, new TreeMap<>(stored.shards() == null ? Map.of() : stored.shards()));
    }

    public synchronized boolean isDone(int shard) {
        return shards.containsKey(shard);
    }

    public synchronized ShardEntry get(int shard) {
        return shards.get(shard);
    }

    public synchronized Map<Integer, ShardEntry> shards() {
        return Map.copyOf(shards);
    }

    /** Records a finished shard and rewrites the manifest atomically. */
    public synchronized void done(int shard, ShardEntry entry) throws IOException {
        shards.put(shard, entry);
        save();
    }

    public synchronized void save() throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling("." + FILE + ".tmp");
        JSON.writeValue(temp.toFile(), new Stored(1, fingerprint, shards));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
