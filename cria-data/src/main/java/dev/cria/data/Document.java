package dev.cria.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One document flowing through the pipeline.
 *
 * @param id stable identifier (WARC record id, URL, file path, page id), unique within its source
 * @param text the content, UTF-8 text
 * @param source the source it came from ({@code commoncrawl}, {@code c4}, {@code github}, ...)
 * @param meta everything else, as JSON values (String, Number, Boolean, List, Map): url, language, language_score,
 *     perplexity, bucket, ... Insertion-ordered so written shards are byte-stable.
 */
public record Document(String id, String text, String source, Map<String, Object> meta) {

    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        meta = meta == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(meta));
    }

    public Document withText(String newText) {
        return new Document(id, newText, source, meta);
    }

    /** A copy with {@code key} set to {@code value} in {@link #meta()} (replacing an earlier value). */
    public Document withMeta(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(meta);
        m.put(key, value);
        return new Document(id, text, source, m);
    }

    /** Bytes of the text in UTF-8, the unit of the funnel's byte counts. */
    public long textBytes() {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
