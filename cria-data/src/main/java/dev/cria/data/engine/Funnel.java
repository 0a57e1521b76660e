package dev.cria.data.engine;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.cria.data.read.BadRecord;
import dev.cria.data.read.ReadReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the data went: per source, what was read (files, bytes, records, documents, skipped and bad records); per
 * stage, documents and bytes in, kept, and dropped per reason; what was written. Bytes are UTF-8 bytes of the text,
 * except {@link SourceFunnel#bytesRead}, which counts file bytes as stored (compressed). One funnel per shard is kept
 * in the manifest; the run's funnel is their sum in shard order, so a resumed run reports the same numbers.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Funnel(List<SourceFunnel> sources, List<StageFunnel> stages, Count output) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Count(long documents, long bytes) {
        public Count plus(Count o) {
            return new Count(documents + o.documents, bytes + o.bytes);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SourceFunnel(String source, long files, long bytesRead, long records, long documents, long textBytes,
            Map<String, Long> skipped, Map<String, Long> badRecords, List<BadRecord> badExamples) {

        /**
         * @param files 1 for a whole file or a file's first slice, 0 for its other slices
         * @param bytesRead the file bytes to count: what the reader consumed, or a slice's length (its reader reads
         *     ahead into the next slice)
         */
        static SourceFunnel of(String source, int files, ReadReport r, long bytesRead, long textBytes) {
            return new SourceFunnel(source, files, bytesRead, r.records(), r.documents(), textBytes, new TreeMap<>(r.skipped()),
                    new TreeMap<>(r.badByKind()), List.copyOf(r.badExamples()));
        }

        SourceFunnel plus(SourceFunnel o) {
            List<BadRecord> examples = new ArrayList<>(badExamples);
            for (BadRecord b : o.badExamples) {
                if (examples.size() < ReadReport.MAX_EXAMPLES) {
                    examples.add(b);
                }
            }
            return new SourceFunnel(source, files + o.files, bytesRead + o.bytesRead, records + o.records,
                    documents + o.documents, textBytes + o.textBytes, sum(skipped, o.skipped), sum(badRecords, o.badRecords),
                    examples);
        }

        public long badTotal() {
            return badRecords.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * @param kind {@code document} or {@code global}
     * @param kept documents (and their bytes, after the stage changed them) passed on
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StageFunnel(String name, String kind, Count in, Count kept, Map<String, Count> dropped) {

        StageFunnel plus(StageFunnel o) {
            Map<String, Count> d = new TreeMap<>(dropped);
            o.dropped.forEach((k, v) -> d.merge(k, v, Count::plus));
            return new StageFunnel(name, kind, in.plus(o.in), kept.plus(o.kept), d);
        }

        public Count droppedTotal() {
            return dropped.values().stream().reduce(new Count(0, 0), Count::plus);
        }
    }

    /** This funnel followed by {@code later} (the next shards); sources are matched by name, stages by position. */
    public Funnel plus(Funnel later) {
        Map<String, SourceFunnel> bySource = new LinkedHashMap<>();
        for (SourceFunnel s : sources) {
            bySource.merge(s.source(), s, SourceFunnel::plus);
        }
        for (SourceFunnel s : later.sources) {
            bySource.merge(s.source(), s, SourceFunnel::plus);
        }
        List<StageFunnel> st = new ArrayList<>();
        for (int i = 0; i < Math.max(stages.size(), later.stages.size()); i++) {
            if (i >= stages.size()) {
                st.add(later.stages.get(i));
            } else if (i >= later.stages.size()) {
                st.add(stages.get(i));
            } else {
                st.add(stages.get(i).plus(later.stages.get(i)));
            }
        }
        return new Funnel(List.copyOf(bySource.values()), st, output.plus(later.output));
    }

    public static Funnel empty() {
        return new Funnel(List.of(), List.of(), new Count(0, 0));
    }

    private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> m = new TreeMap<>(a);
        b.forEach((k, v) -> m.merge(k, v, Long::sum));
        return m;
    }

    /** Counts for one stage while a shard runs; one per worker, so no locking. */
    static final class StageTally {
        final String name;
        final String kind;
        long inDocs;
        long inBytes;
        long keptDocs;
        long keptBytes;
        final Map<String, long[]> dropped = new TreeMap<>();

        StageTally(String name, String kind) {
            this.name = name;
            this.kind = kind;
        }

        StageFunnel freeze() {
            Map<String, Count> d = new TreeMap<>();
            dropped.forEach((k, v) -> d.put(k, new Count(v[0], v[1])));
            return new StageFunnel(name, kind, new Count(inDocs, inBytes), new Count(keptDocs, keptBytes), d);
        }
    }
}
