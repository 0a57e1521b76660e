package dev.cria.data.source.stackexchange;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import dev.cria.data.stage.Outcome;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * RedPajama's site selection (DATA-RULES §8): sites ranked by size (lines of Posts.xml − 3, carried by each document
 * as {@code site_size}), largest first, ties by name; the documents of the first {@code n} sites are kept (LLaMA: 28).
 */
public final class LargestSites implements GlobalStage<TreeMap<String, Long>> {

    private static final long serialVersionUID = 1L;

    private final int n;

    public LargestSites(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("largest must be positive, got " + n);
        }
        this.n = n;
    }

    @Override
    public String name() {
        return "stackexchange_sites";
    }

    @Override
    public TreeMap<String, Long> emptySummary() {
        return new TreeMap<>();
    }

    @Override
    public TreeMap<String, Long> observe(TreeMap<String, Long> summary, Document document) {
        summary.put(site(document), size(document));
        return summary;
    }

    @Override
    public TreeMap<String, Long> merge(TreeMap<String, Long> earlier, TreeMap<String, Long> later) {
        earlier.putAll(later);
        return earlier;
    }

    @Override
    public DocumentStage decide(TreeMap<String, Long> sizes) {
        Set<String> kept = sizes.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(n).map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
        return new DocumentStage() {
            private static final long serialVersionUID = 1L;

            @Override
            public String name() {
                return "stackexchange_sites";
            }

            @Override
            public Outcome apply(Document document) {
                return kept.contains(site(document)) ? Outcome.keep(document) : Outcome.drop("site_not_among_largest");
            }
        };
    }

    private static String site(Document d) {
        Object site = d.meta().get("site");
        if (site == null) {
            throw new IllegalStateException("document " + d.id() + " has no meta site: read it with reader: stackexchange");
        }
        return site.toString();
    }

    private static long size(Document d) {
        return d.meta().get("site_size") instanceof Number n ? n.longValue() : 0;
    }
}
