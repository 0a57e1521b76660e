package dev.cria.data.stage.ccnet;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.dedup.LongHashCounts;
import dev.cria.data.text.PythonText;
import java.util.ArrayList;
import java.util.List;

/**
 * CCNet's line-level deduplication (DATA-RULES §2.3): a line (split on {@code \n}) whose normalized hash occurs two or
 * more times anywhere in the shard group — inside one document, across documents, across shards — is removed
 * everywhere, the first copy included. A document left without lines is dropped; kept ones record
 * {@code original_nlines}, {@code original_length}, {@code nlines}, {@code length} and {@code line_ids}.
 *
 * <p>The group is what the engine merges the summaries of: all shards by default, or CCNet's {@code hash_in_mem}
 * consecutive shards when the recipe groups them.
 */
public final class LineDedup implements GlobalStage<LongHashCounts> {

    private static final long serialVersionUID = 1L;

    /** CCNet's default {@code hash_in_mem} (mine.py); RedPajama ran with 1. */
    public static final int CCNET_HASH_IN_MEM = 50;

    private final int hashInMem;

    /**
     * @param hashInMem CCNet's {@code hash_in_mem}: how many consecutive shards share one hash set (a line repeated
     *     in two shards of different groups survives in both); 0 puts all shards in one group
     */
    public LineDedup(int hashInMem) {
        if (hashInMem < 0) {
            throw new IllegalArgumentException("hash_in_mem must be 0 (all shards) or more, was " + hashInMem);
        }
        this.hashInMem = hashInMem;
    }

    /** One group of all shards. */
    public LineDedup() {
        this(0);
    }

    @Override
    public String name() {
        return "line_dedup";
    }

    @Override
    public int shardGroup() {
        return hashInMem;
    }

    @Override
    public LongHashCounts emptySummary() {
        return new LongHashCounts();
    }

    @Override
    public LongHashCounts observe(LongHashCounts summary, Document document) {
        LineHash hash = new LineHash();
        for (String line : document.text().split("\n", -1)) {
            summary.add(hash.of(line));
        }
        return summary;
    }

    @Override
    public LongHashCounts merge(LongHashCounts earlier, LongHashCounts later) {
        return earlier.addAll(later);
    }

    @Override
    public DocumentStage decide(LongHashCounts summary) {
        return new Decision(summary);
    }

    private record Decision(LongHashCounts repeatedLines) implements DocumentStage {

        @Override
        public String name() {
            return "line_dedup";
        }

        @Override
        public Outcome apply(Document document) {
            String text = document.text();
            String[] lines = text.split("\n", -1);
            LineHash hash = new LineHash();
            List<Integer> kept = new ArrayList<>();
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < lines.length; i++) {
                if (repeatedLines.isRepeated(hash.of(lines[i]))) {
                    continue;
                }
                if (!kept.isEmpty()) {
                    out.append('\n');
                }
                out.append(lines[i]);
                kept.add(i);
            }
            if (kept.isEmpty()) {
                return Outcome.drop("all_lines_duplicated");
            }
            String deduped = out.toString();
            return Outcome.keep(document.withText(deduped)
                    .withMeta("original_nlines", lines.length)
                    .withMeta("original_length", PythonText.length(text))
                    .withMeta("nlines", kept.size())
                    .withMeta("length", PythonText.length(deduped))
                    .withMeta("line_ids", List.copyOf(kept)));
        }
    }
}
