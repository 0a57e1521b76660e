package dev.cria.data.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a reader saw in one file: records, the documents it made, records it passed over on purpose ({@link #skipped},
 * e.g. a WARC {@code request} or an image response) and records it could not read ({@link #bad}, with where they are).
 * Not thread-safe: one per reader.
 */
public final class ReadReport {
    /** Bad records kept with their position; beyond this only the counts grow. */
    public static final int MAX_EXAMPLES = 20;

    private long records;
    private long documents;
    private long bytesRead;
    private final Map<String, Long> skipped = new TreeMap<>();
    private final Map<String, Long> badByKind = new TreeMap<>();
    private final List<BadRecord> examples = new ArrayList<>();

    /** The report of a file no reader could open (not the format its name says, empty, corrupt from byte 0). */
    public static ReadReport unreadable(BadRecord bad) {
        ReadReport r = new ReadReport();
        r.records = 1;
        r.bad(bad);
        return r;
    }

    public void record() {
        records++;
    }

    public void document() {
        documents++;
    }

    public void skip(String reason) {
        skipped.merge(reason, 1L, Long::sum);
    }

    public void bad(BadRecord bad) {
        badByKind.merge(bad.kind(), 1L, Long::sum);
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(bad);
        }
    }

    void bytesRead(long bytes) {
        bytesRead = bytes;
    }

    public long records() {
        return records;
    }

    public long documents() {
        return documents;
    }

    /** Bytes of the file consumed (compressed bytes for a compressed file). */
    public long bytesRead() {
        return bytesRead;
    }

    public Map<String, Long> skipped() {
        return skipped;
    }

    public Map<String, Long> badByKind() {
        return badByKind;
    }

    public long badCount() {
        return badByKind.values().stream().mapToLong(Long::longValue).sum();
    }

    public List<BadRecord> badExamples() {
        return examples;
    }
}
