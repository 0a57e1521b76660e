package dev.cria.data.write;

import dev.cria.data.Document;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes one output shard: {@code part-NNNNN.jsonl.gz} in the output folder, or one such file per partition folder.
 * Documents go to temporary files ({@code .part-NNNNN.jsonl.gz.tmp}); {@link #commit} closes and renames them, so a
 * file with the final name is always complete. {@link #abort} deletes the temporaries.
 */
public final class ShardWriter implements AutoCloseable {
    private final Path dir;
    private final int shard;
    private final ShardFormat format;
    private final PartitionPattern partition;
    private final Map<String, Open> open = new TreeMap<>();
    private boolean finished;

    private record Open(Path temp, Path target, OutputStream out, DocumentJson json) {
    }

    /** @param partition null: every document in {@code dir} itself */
    public ShardWriter(Path dir, int shard, ShardFormat format, PartitionPattern partition) {
        this.dir = dir;
        this.shard = shard;
        this.format = format;
        this.partition = partition;
    }

    /** The temporary name of a shard file: hidden, so globs over the output never see a half-written shard. */
    public static Path tempOf(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp");
    }

    public void write(Document d) throws IOException {
        String folder = partition == null ? "" : partition.folder(d);
        Open o = open.get(folder);
        if (o == null) {
            Path target = (folder.isEmpty() ? dir : dir.resolve(folder)).resolve(format.fileName(shard));
            Files.createDirectories(target.getParent());
            Path temp = tempOf(target);
            OutputStream out = format.wrap(new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16));
            o = new Open(temp, target, out, new DocumentJson(out));
            open.put(folder, o);
        }
        o.json.write(d);
    }

    /** Closes and renames every file of the shard; returns their paths relative to the output folder, sorted. */
    public List<String> commit() throws IOException {
        List<String> files = new ArrayList<>();
        for (Open o : open.values()) {
            o.json.flush();
            o.out.close();
        }
        for (Open o : open.values()) {
            Files.move(o.temp, o.target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            files.add(dir.relativize(o.target).toString().replace('\\', '/'));
        }
        finished = true;
        return files;
    }

    public void abort() {
        for (Open o : open.values()) {
            try {
                o.out.close();
            } catch (IOException ignored) {
                // The temporary is deleted next; a close failure changes nothing.
            }
            try {
                Files.deleteIfExists(o.temp);
            } catch (IOException ignored) {
                // A leftover temporary is removed by the next run's start-up sweep.
            }
        }
        finished = true;
    }

    @Override
    public void close() {
        if (!finished) {
            abort();
        }
    }
}
