package dev.cria.data.engine;

import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import dev.cria.data.stage.StageContext;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One position of the stage chain as a worker sees it: a per-document stage, or the decisions of a global stage, one
 * per shard group ({@link GlobalStage#shardGroup}). A group's decision is built when a worker first needs it, from the
 * group's saved summaries merged in shard order, and dropped when the pass has no shard of the group left, so at most
 * the groups in flight are held in memory.
 */
sealed interface Decisions {

    /** The stage to run on {@code shard}'s documents. */
    DocumentStage acquire(InputShard shard) throws IOException;

    /** The worker is done with {@code shard}. */
    void release(InputShard shard);

    /** A pass over {@code todo} starts. */
    void beginPass(List<InputShard> todo);

    record Fixed(DocumentStage stage) implements Decisions {
        @Override
        public DocumentStage acquire(InputShard shard) {
            return stage;
        }

        @Override
        public void release(InputShard shard) {
        }

        @Override
        public void beginPass(List<InputShard> todo) {
        }
    }

    final class Grouped<S extends Serializable> implements Decisions {
        private final GlobalStage<S> stage;
        private final Path dir;
        private final List<InputShard> shards;
        private final int groupSize;
        private final StageContext context;
        private final DocumentStage[] decided;
        private final int[] remaining;

        Grouped(GlobalStage<S> stage, Path dir, List<InputShard> shards, StageContext context) {
            this.stage = stage;
            this.dir = dir;
            this.shards = shards;
            this.groupSize = stage.shardGroup() > 0 ? stage.shardGroup() : Math.max(1, shards.size());
            this.context = context;
            int groups = Math.max(1, (shards.size() + groupSize - 1) / groupSize);
            this.decided = new DocumentStage[groups];
            this.remaining = new int[groups];
        }

        private int group(InputShard shard) {
            return shard.index() / groupSize;
        }

        @Override
        public synchronized void beginPass(List<InputShard> todo) {
            java.util.Arrays.fill(decided, null);
            java.util.Arrays.fill(remaining, 0);
            for (InputShard s : todo) {
                remaining[group(s)]++;
            }
        }

        @Override
        public synchronized DocumentStage acquire(InputShard shard) throws IOException {
            int g = group(shard);
            if (decided[g] == null) {
                S merged = stage.emptySummary();
                int end = Math.min(shards.size(), (g + 1) * groupSize);
                for (int i = g * groupSize; i < end; i++) {
                    merged = stage.merge(merged, read(summaryFile(dir, shards.get(i))));
                }
                DocumentStage d = stage.decide(merged);
                d.open(context);
                decided[g] = d;
            }
            return decided[g];
        }

        @Override
        public synchronized void release(InputShard shard) {
            int g = group(shard);
            if (--remaining[g] <= 0) {
                decided[g] = null;
            }
        }

        @SuppressWarnings("unchecked")
        private S read(Path file) throws IOException {
            try (ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                return (S) in.readObject();
            } catch (ClassNotFoundException e) {
                throw new IOException(file + ": summary of an unknown class: " + e.getMessage(), e);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    static Path summaryFile(Path dir, InputShard s) {
        return dir.resolve(String.format(Locale.ROOT, "part-%05d.summary", s.index()));
    }
}
