package dev.cria.data.read;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The reader types a recipe names ({@code reader: wet}), and the options each takes. */
public enum ReaderKind {
    /** Common Crawl WET; option {@code text}: {@code ccnet} (default), {@code c4} or {@code raw} ({@link WetText}). */
    WET,
    /** WARC with HTML responses. No options. */
    WARC,
    /** JSON Lines; option {@code text_field} (default {@code text}). */
    JSONL;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Opens {@code file} with validated {@code options} (see {@link #optionNames}). */
    public DocumentReader open(Path file, String source, Map<String, String> options) throws IOException {
        return open(file, source, options, 0, Long.MAX_VALUE);
    }

    /**
     * Opens the records of {@code file} that start in [{@code start}, {@code end}); only {@link #canSlice} readers on
     * uncompressed files take a range other than the whole file.
     */
    public DocumentReader open(Path file, String source, Map<String, String> options, long start, long end) throws IOException {
        boolean whole = start == 0 && end == Long.MAX_VALUE;
        if (!whole && !canSlice(file)) {
            throw new IllegalArgumentException(file + ": the " + key() + " reader cannot read a slice of this file");
        }
        return switch (this) {
            case WET -> new WetReader(file, source, WetText.valueOf(options.getOrDefault("text", "ccnet").toUpperCase(Locale.ROOT)),
                    start, end);
            case WARC -> new WarcHtmlReader(file, source);
            case JSONL -> new JsonlReader(file, source, options.getOrDefault("text_field", "text"), start, end);
        };
    }

    /** Whether a file can be split into byte slices read independently: WET and JSONL, uncompressed. */
    public boolean canSlice(Path file) {
        return this != WARC && Compression.of(file) == Compression.NONE;
    }

    /** Option names and, for each, the values it allows (empty: any string). */
    public Map<String, java.util.List<String>> optionNames() {
        return switch (this) {
            case WET -> Map.of("text", java.util.List.of("ccnet", "c4", "raw"));
            case WARC -> Map.of();
            case JSONL -> Map.of("text_field", java.util.List.of());
        };
    }
}
