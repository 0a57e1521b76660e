package dev.cria.data.stage;

import dev.cria.data.Document;
import java.io.Serializable;

/**
 * A step that needs to see every document before it can decide about one (exact, line-level, URL and MinHash dedup).
 * It runs in two passes, which map onto a local engine and onto Spark alike: first every document is
 * {@linkplain #observe observed} into a summary (one per shard or partition, {@linkplain #merge merged} in shard order
 * so the result is deterministic), then the per-document stage built from the merged summary decides.
 *
 * @param <S> the summary: hashes, signatures, counts
 */
public interface GlobalStage<S extends Serializable> extends Serializable {

    String name();

    S emptySummary();

    /** Adds one document to {@code summary} and returns it (it may be updated in place). */
    S observe(S summary, Document document);

    /** Combines two summaries; {@code earlier} holds documents of lower shard numbers than {@code later}. */
    S merge(S earlier, S later);

    /** The second pass: decides about each document given the merged summary of all of them. */
    DocumentStage decide(S summary);

    /**
     * How many consecutive shards share one summary: 0 (the default) merges all shards into one; n splits the shards
     * into groups of n (in shard order) and decides each group from its own merged summary, as CCNet's
     * {@code hash_in_mem} deduplicates within groups of shards (DATA-RULES §2.3).
     */
    default int shardGroup() {
        return 0;
    }
}
