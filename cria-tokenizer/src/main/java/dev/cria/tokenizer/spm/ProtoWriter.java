package dev.cria.tokenizer.spm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes the protocol buffers wire format, fields in the order they are called (SentencePiece writes ascending numbers). */
final class ProtoWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void varintField(int field, long value) {
        key(field, ProtoReader.VARINT);
        varint(value);
    }

    /** int32 fields sign-extend negative values to 64 bits, giving 10-byte varints (e.g. pad_id = -1). */
    void int32Field(int field, int value) {
        varintField(field, value);
    }

    void boolField(int field, boolean value) {
        varintField(field, value ? 1 : 0);
    }

    void floatField(int field, float value) {
        key(field, ProtoReader.FIXED32);
        int bits = Float.floatToRawIntBits(value);
        out.write(bits);
        out.write(bits >>> 8);
        out.write(bits >>> 16);
        out.write(bits >>> 24);
    }

    void bytesField(int field, byte[] value) {
        key(field, ProtoReader.LENGTH_DELIMITED);
        varint(value.length);
        out.writeBytes(value);
    }

    void stringField(int field, String value) {
        bytesField(field, value.getBytes(StandardCharsets.UTF_8));
    }

    void messageField(int field, ProtoWriter message) {
        bytesField(field, message.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void key(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
