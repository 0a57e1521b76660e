package dev.cria.data.stage.dedup;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import dev.cria.data.stage.Outcome;
import java.io.Serializable;
import java.util.HashMap;

/**
 * Exact deduplication: documents with the same key keep only the first in shard order. The key is the SHA-1 of the
 * text (GitHub's file dedup, DATA-RULES §4), or of a meta field such as the WET {@code digest} (RedPajama's CC
 * dedup, §2.8).
 */
public final class ExactDedup implements GlobalStage<ExactDedup.FirstSeen> {

    private static final long serialVersionUID = 1L;

    /** The first document seen per digest. */
    public static final class FirstSeen implements Serializable {
        private static final long serialVersionUID = 1L;
        final HashMap<Long, String> first = new HashMap<>();
    }

    private final String field;

    /** @param field a meta field to dedup on, or null for the text itself */
    public ExactDedup(String field) {
        this.field = field;
    }

    @Override
    public String name() {
        return "exact_dedup";
    }

    private long digest(Document d) {
        if (field == null) {
            return Digests.sha1(d.text());
        }
        Object v = d.meta().get(field);
        return Digests.sha1(v == null ? "\u0000" + d.id() : v.toString());
    }

    @Override
    public FirstSeen emptySummary() {
        return new FirstSeen();
    }

    @Override
    public FirstSeen observe(FirstSeen summary, Document document) {
        summary.first.putIfAbsent(digest(document), Digests.key(document));
        return summary;
    }

    @Override
    public FirstSeen merge(FirstSeen earlier, FirstSeen later) {
        later.first.forEach(earlier.first::putIfAbsent);
        return earlier;
    }

    @Override
    public DocumentStage decide(FirstSeen summary) {
        return new DocumentStage() {
            private static final long serialVersionUID = 1L;

            @Override
            public String name() {
                return "exact_dedup";
            }

            @Override
            public Outcome apply(Document document) {
                String first = summary.first.get(digest(document));
                return Digests.key(document).equals(first) ? Outcome.keep(document) : Outcome.drop("exact_duplicate");
            }
        };
    }
}
