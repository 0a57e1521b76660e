package dev.cria.data.source.books;

import dev.cria.data.Document;
import dev.cria.data.read.BadRecord;
import dev.cria.data.read.DocumentReader;
import dev.cria.data.read.ReadReport;
import dev.cria.data.source.SourceReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Project Gutenberg plain-text book per {@code .txt} file (DATA-RULES §6), its PG header and footer removed by
 * {@link GutenbergText}; the id is the file name without {@code .txt}. Other files (a metadata {@code .json} beside the
 * books) are skipped and counted; a file that is not UTF-8 (after an optional byte-order mark) is one {@code not_utf8}
 * bad record.
 */
public final class GutenbergReader implements DocumentReader, SourceReader {

    private final Path file;
    private final String source;
    private final ReadReport report = new ReadReport();
    private boolean done;
    private long bytes;

    public GutenbergReader(Path file, String source) {
        this.file = file;
        this.source = source;
    }

    @Override
    public Document next() throws IOException {
        if (done) {
            return null;
        }
        done = true;
        String name = file.getFileName().toString();
        if (!name.endsWith(".txt")) {
            report.skip("not_txt");
            return null;
        }
        byte[] raw = Files.readAllBytes(file);
        bytes = raw.length;
        report.record();
        int bom = raw.length >= 3 && (raw[0] & 0xff) == 0xEF && (raw[1] & 0xff) == 0xBB && (raw[2] & 0xff) == 0xBF ? 3 : 0;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw, bom, raw.length - bom)).toString();
        } catch (CharacterCodingException e) {
            report.bad(new BadRecord(file.toString(), 0, "byte", "not_utf8", "expected UTF-8 text: " + e.getMessage()));
            return null;
        }
        String book = GutenbergText.strip(text.replace("\r\n", "\n"));
        if (book.isEmpty()) {
            report.skip("empty");
            return null;
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("file", name);
        report.document();
        return new Document(name.substring(0, name.length() - ".txt".length()), book, source, meta);
    }

    @Override
    public ReadReport report() {
        return report;
    }

    @Override
    public long bytesRead() {
        return bytes;
    }

    @Override
    public void close() {
    }
}
