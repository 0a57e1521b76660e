package dev.cria.data.write;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.cria.data.Document;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * One document as one JSON line: {@code {"id":…,"text":…,"source":…,"meta":{…}}}, keys in that order and meta in
 * insertion order, so the same document always gives the same bytes.
 */
final class DocumentJson {
    private final JsonGenerator json;

    DocumentJson(OutputStream out) throws IOException {
        JsonFactory factory = new JsonFactory();
        json = factory.createGenerator(out, JsonEncoding.UTF8);
        json.setRootValueSeparator(null);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    void write(Document d) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", d.id());
        json.writeStringField("text", d.text());
        json.writeStringField("source", d.source());
        json.writeFieldName("meta");
        writeValue(d.meta());
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private void writeValue(Object value) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case String s -> json.writeString(s);
            case Integer i -> json.writeNumber(i);
            case Long l -> json.writeNumber(l);
            case Double x -> json.writeNumber(x);
            case Float x -> json.writeNumber(x);
            case java.math.BigInteger b -> json.writeNumber(b);
            case java.math.BigDecimal b -> json.writeNumber(b);
            case Number n -> json.writeNumber(n.doubleValue());
            case Boolean b -> json.writeBoolean(b);
            case Map<?, ?> m -> {
                json.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    json.writeFieldName(String.valueOf(e.getKey()));
                    writeValue(e.getValue());
                }
                json.writeEndObject();
            }
            case Iterable<?> list -> {
                json.writeStartArray();
                for (Object o : list) {
                    writeValue(o);
                }
                json.writeEndArray();
            }
            case double[] a -> {
                json.writeStartArray();
                for (double x : a) {
                    json.writeNumber(x);
                }
                json.writeEndArray();
            }
            case int[] a -> {
                json.writeStartArray();
                for (int x : a) {
                    json.writeNumber(x);
                }
                json.writeEndArray();
            }
            case long[] a -> {
                json.writeStartArray();
                for (long x : a) {
                    json.writeNumber(x);
                }
                json.writeEndArray();
            }
            default -> json.writeString(value.toString());
        }
    }

    void flush() throws IOException {
        json.flush();
    }
}
