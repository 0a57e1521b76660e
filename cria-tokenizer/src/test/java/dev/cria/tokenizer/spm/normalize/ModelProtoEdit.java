package dev.cria.tokenizer.spm.normalize;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough protobuf to read and replace {@code ModelProto.normalizer_spec} (field 3) of a SentencePiece model:
 * its {@code precompiled_charsmap} (field 2) and the flags {@code add_dummy_prefix} (3),
 * {@code remove_extra_whitespaces} (4), {@code escape_whitespaces} (5). Other fields are copied byte for byte.
 */
final class ModelProtoEdit {

    static final int NORMALIZER_SPEC = 3;
    static final int PRECOMPILED_CHARSMAP = 2;

    private ModelProtoEdit() {
    }

    /** One field as found on the wire: number, wire type, the raw bytes (tag included), and the payload range. */
    private record Field(int number, int wireType, int start, int end, int payloadStart) {
    }

    /** The charsmap blob inside a model file's normalizer spec; empty when absent. */
    static byte[] precompiledCharsMap(byte[] model) {
        byte[] spec = lengthDelimited(model, NORMALIZER_SPEC);
        return lengthDelimited(spec, PRECOMPILED_CHARSMAP);
    }

    /**
     * A copy of {@code model} whose normalizer spec holds {@code charsMap}; each non-null flag replaces the spec's
     * {@code add_dummy_prefix}, {@code remove_extra_whitespaces}, {@code escape_whitespaces}.
     */
    static byte[] withNormalizer(byte[] model, byte[] charsMap, Boolean addDummyPrefix, Boolean removeExtraWhitespaces,
            Boolean escapeWhitespaces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(model.length + charsMap.length);
        boolean replaced = false;
        for (Field field : fields(model)) {
            if (field.number() != NORMALIZER_SPEC) {
                out.write(model, field.start(), field.end() - field.start());
                continue;
            }
            ByteArrayOutputStream spec = new ByteArrayOutputStream();
            for (Field inner : fields(slice(model, field.payloadStart(), field.end()))) {
                boolean overridden = inner.number() == PRECOMPILED_CHARSMAP
                        || inner.number() == 3 && addDummyPrefix != null
                        || inner.number() == 4 && removeExtraWhitespaces != null
                        || inner.number() == 5 && escapeWhitespaces != null;
                if (!overridden) {
                    spec.write(model, field.payloadStart() + inner.start(), inner.end() - inner.start());
                }
            }
            writeBytesField(spec, PRECOMPILED_CHARSMAP, charsMap);
            writeBoolField(spec, 3, addDummyPrefix);
            writeBoolField(spec, 4, removeExtraWhitespaces);
            writeBoolField(spec, 5, escapeWhitespaces);
            writeBytesField(out, NORMALIZER_SPEC, spec.toByteArray());
            replaced = true;
        }
        if (!replaced) {
            throw new IllegalArgumentException("model has no normalizer_spec");
        }
        return out.toByteArray();
    }

    private static byte[] lengthDelimited(byte[] message, int number) {
        for (Field field : fields(message)) {
            if (field.number() == number && field.wireType() == 2) {
                return slice(message, field.payloadStart(), field.end());
            }
        }
        return new byte[0];
    }

    private static List<Field> fields(byte[] message) {
        List<Field> fields = new ArrayList<>();
        int[] at = {0};
        while (at[0] < message.length) {
            int start = at[0];
            long tag = readVarint(message, at);
            int number = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            int payloadStart = at[0];
            switch (wireType) {
                case 0 -> readVarint(message, at);
                case 1 -> at[0] += 8;
                case 2 -> {
                    int length = (int) readVarint(message, at);
                    payloadStart = at[0];
                    at[0] += length;
                }
                case 5 -> at[0] += 4;
                default -> throw new IllegalArgumentException("wire type " + wireType + " at byte " + start);
            }
            if (at[0] > message.length) {
                throw new IllegalArgumentException("field " + number + " at byte " + start + " runs past the end");
            }
            fields.add(new Field(number, wireType, start, at[0], payloadStart));
        }
        return fields;
    }

    private static long readVarint(byte[] b, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int c = b[at[0]++] & 0xFF;
            value |= (long) (c & 0x7F) << shift;
            if (c < 0x80) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 10 bytes before byte " + at[0]);
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static void writeBytesField(ByteArrayOutputStream out, int number, byte[] payload) {
        writeVarint(out, (long) number << 3 | 2);
        writeVarint(out, payload.length);
        out.write(payload, 0, payload.length);
    }

    private static void writeBoolField(ByteArrayOutputStream out, int number, Boolean value) {
        if (value != null) {
            writeVarint(out, (long) number << 3);
            writeVarint(out, value ? 1 : 0);
        }
    }

    private static byte[] slice(byte[] b, int from, int to) {
        byte[] copy = new byte[to - from];
        System.arraycopy(b, from, copy, 0, copy.length);
        return copy;
    }
}
