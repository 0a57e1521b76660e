package dev.cria.data.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cria.data.Document;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipException;

/**
 * JSON Lines ({@code .jsonl}, {@code .jsonl.gz}, {@code .jsonl.zst}), one object per line: Cria's own shards and the
 * shards of CCNet, Dolma, RedPajama and datatrove.
 *
 * <p>{@code text} (or the configured field) is required. {@code id} is taken as text, or made {@code FILE:LINE} when
 * absent; {@code source} from the record, or the recipe's source name. Every other field goes into {@code meta}; an
 * object field named {@code meta} or {@code metadata} is merged into {@code meta} key by key, so that CCNet fields
 * nested by Dolma ({@code metadata.perplexity}) and Cria's own ({@code meta.perplexity}) read the same. Blank lines are
 * passed over; a line that is not a JSON object, or has no text, is counted as bad with its line number.
 */
public final class JsonlReader implements DocumentReader {
    /** Documents may be longer than Jackson's default 20 MB string limit (the writer has no limit either). */
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build());

    private final Path file;
    private final String source;
    private final String textField;
    private final CountingInputStream raw;
    private final LineInput lines;
    private final ReadReport report = new ReadReport();
    private final String fileName;
    private final long end;
    private final boolean byteOffsets;
    private boolean done;

    public JsonlReader(Path file, String source, String textField) throws IOException {
        this(file, source, textField, 0, Long.MAX_VALUE);
    }

    /**
     * Reads the lines of an uncompressed file that start in [{@code start}, {@code end}). A slice does not know its
     * line numbers, so positions (and made-up ids, {@code FILE@BYTE}) are byte offsets whenever the file is sliced.
     */
    public JsonlReader(Path file, String source, String textField, long start, long end) throws IOException {
        this.file = file;
        this.source = source;
        this.textField = textField;
        this.end = end;
        this.byteOffsets = start > 0 || end != Long.MAX_VALUE;
        CountingInputStream[] counting = new CountingInputStream[1];
        InputStream in = Compression.open(file, start > 0 ? start - 1 : 0, counting);
        this.raw = counting[0];
        this.lines = new LineInput(in, start > 0 ? start - 1 : 0);
        if (start > 0) {
            lines.next();
        }
        this.fileName = file.getFileName().toString();
    }

    @Override
    public ReadReport report() {
        report.bytesRead(raw.count());
        return report;
    }

    @Override
    public Document next() throws IOException {
        while (!done) {
            try {
                if (!lines.next() || lines.lineStart() >= end) {
                    break;
                }
            } catch (EOFException | ZipException e) {
                report.bad(bad(lines.lineNumber() + 1, "truncated", "compressed stream ends early: " + e.getMessage()));
                break;
            }
            if (lines.isBlank()) {
                continue;
            }
            report.record();
            Document d = parse(lines.bytes(), lines.length(), byteOffsets ? lines.lineStart() : lines.lineNumber());
            if (d != null) {
                report.document();
                return d;
            }
        }
        done = true;
        report();
        return null;
    }

    /** @param lineNumber the line's number, or its byte offset when the file is sliced */
    private Document parse(byte[] bytes, int length, long lineNumber) {
        JsonNode node;
        try {
            node = JSON.readTree(bytes, 0, length);
        } catch (JsonProcessingException e) {
            report.bad(bad(lineNumber, "bad_json", "expected one JSON object per line: " + e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            report.bad(bad(lineNumber, "bad_json", e.getMessage()));
            return null;
        }
        if (!(node instanceof ObjectNode object)) {
            report.bad(bad(lineNumber, "bad_json", "expected a JSON object, found " + node.getNodeType().name().toLowerCase()));
            return null;
        }
        JsonNode text = object.get(textField);
        if (text == null || !text.isTextual()) {
            report.bad(bad(lineNumber, "missing_text", "no string field \"" + textField + "\""));
            return null;
        }
        JsonNode idNode = object.get("id");
        String id = idNode == null || idNode.isNull() ? fileName + (byteOffsets ? "@" : ":") + lineNumber : idNode.isTextual() ? idNode.textValue() : idNode.toString();
        JsonNode sourceNode = object.get("source");
        String src = sourceNode != null && sourceNode.isTextual() ? sourceNode.textValue() : source;
        Map<String, Object> meta = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            if (key.equals(textField) || key.equals("id") || key.equals("source")) {
                continue;
            }
            if ((key.equals("meta") || key.equals("metadata")) && field.getValue().isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> inner = field.getValue().fields(); inner.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = inner.next();
                    meta.put(f.getKey(), JsonValues.toJava(f.getValue()));
                }
            } else {
                meta.put(key, JsonValues.toJava(field.getValue()));
            }
        }
        return new Document(id, text.textValue(), src, meta);
    }

    private BadRecord bad(long line, String kind, String detail) {
        return new BadRecord(file.toString(), line, byteOffsets ? "byte" : "line", kind, detail);
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }

}
