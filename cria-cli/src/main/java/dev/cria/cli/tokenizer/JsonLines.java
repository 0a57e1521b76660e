package dev.cria.cli.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.cli.CliException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The JSON of {@code --jsonl}: one JSON value per line in, one per line out. Thread-safe. */
final class JsonLines {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private JsonLines() {
    }

    /** The UTF-8 bytes of the JSON string that is the whole of {@code bytes[start, end)}. */
    static byte[] stringAsUtf8(byte[] bytes, int start, int end, String source, long line) {
        try (JsonParser parser = FACTORY.createParser(bytes, start, end - start)) {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.VALUE_STRING) {
                throw new CliException(where(source, line) + "expected a JSON string, found " + describe(token));
            }
            String text = parser.getText();
            if (parser.nextToken() != null) {
                throw new CliException(where(source, line) + "expected one JSON string per line, found more after it");
            }
            return utf8(text, source, line);
        } catch (JsonProcessingException e) {
            throw new CliException(where(source, line) + "not valid JSON: " + e.getOriginalMessage()
                    + " (at column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ids of the JSON array of integers that is the whole of {@code bytes[start, end)}. */
    static int[] idArray(byte[] bytes, int start, int end, String source, long line) {
        try (JsonParser parser = FACTORY.createParser(bytes, start, end - start)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new CliException(where(source, line) + "expected a JSON array of token ids");
            }
            int[] ids = new int[16];
            int count = 0;
            for (JsonToken token; (token = parser.nextToken()) != JsonToken.END_ARRAY; ) {
                if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
                    throw new CliException(where(source, line) + "expected a token id (a non-negative integer), found "
                            + describe(token) + " " + parser.getText());
                }
                if (count == ids.length) {
                    ids = Arrays.copyOf(ids, count * 2);
                }
                ids[count++] = parser.getIntValue();
            }
            if (parser.nextToken() != null) {
                throw new CliException(where(source, line) + "expected one JSON array per line, found more after it");
            }
            return Arrays.copyOf(ids, count);
        } catch (JsonProcessingException e) {
            throw new CliException(where(source, line) + "not valid JSON: " + e.getOriginalMessage()
                    + " (at column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code text} as a JSON string literal in UTF-8. */
    static byte[] quote(String text) {
        try {
            return MAPPER.writeValueAsBytes(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Jackson cannot write a plain string", e);
        }
    }

    static String where(String source, long line) {
        return source + " line " + line + ": ";
    }

    /**
     * Java strings may hold unpaired surrogates (JSON's {@code "\ud800"}); they have no UTF-8 form, and
     * {@link String#getBytes} would silently turn them into {@code ?}.
     */
    private static byte[] utf8(String text, String source, long line) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new CliException(where(source, line) + String.format(
                        "the JSON string holds an unpaired surrogate \\u%04x at character %d, which has no UTF-8 form",
                        (int) c, i));
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "an empty line";
        }
        return switch (token) {
            case START_OBJECT -> "a JSON object";
            case START_ARRAY -> "a JSON array";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case VALUE_STRING -> "a string";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }
}
