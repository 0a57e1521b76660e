package dev.cria.data.read;

import dev.cria.data.Document;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a whole file and keeps the documents and the report. */
record ReadAll(List<Document> documents, ReadReport report) {

    static ReadAll wet(Path file, WetText mode) throws IOException {
        return of(ReaderKind.WET.open(file, "cc", Map.of("text", mode.name().toLowerCase())));
    }

    static ReadAll warc(Path file) throws IOException {
        return of(ReaderKind.WARC.open(file, "web", Map.of()));
    }

    static ReadAll jsonl(Path file) throws IOException {
        return of(ReaderKind.JSONL.open(file, "jsonl", Map.of()));
    }

    static ReadAll of(DocumentReader reader) throws IOException {
        List<Document> docs = new ArrayList<>();
        try (reader) {
            Document d;
            while ((d = reader.next()) != null) {
                docs.add(d);
            }
            return new ReadAll(docs, reader.report());
        }
    }
}
