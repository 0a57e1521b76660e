package dev.cria.data.source.wikipedia;

import dev.cria.data.Document;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Streams the articles of a MediaWiki export ({@code pages-articles}, plain or bz2, multistream included) as
 * documents, never holding the dump in memory (DATA-RULES §5): pages of namespace 0 only, redirects (a
 * {@code <redirect>} element or text starting with {@code #REDIRECT}) and empty pages skipped, wikitext cleaned with
 * the wiki's own names for the file and category namespaces. The XML declaration decides the encoding (UTF-16 dumps
 * read as well as UTF-8). A dump cut off mid-page ends the stream with the error recorded in the report. The engine reads
 * dumps through {@link MediaWikiReader}; this is the same reader with a callback.
 */
public final class MediaWikiDump {

    /** Counts of what the dump held; {@code error} names the position of a malformed or truncated dump, or is null. */
    public record Report(long pages, long articles, long redirects, long otherNamespaces, long empty, String error) {
    }

    private MediaWikiDump() {
    }

    public static Report read(Path dump, Consumer<Document> sink) throws IOException {
        try (MediaWikiReader reader = new MediaWikiReader(dump, "wikipedia")) {
            Document d;
            while ((d = reader.next()) != null) {
                sink.accept(d);
            }
            return reader.summary();
        }
    }
}
