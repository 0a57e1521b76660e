package dev.cria.tokenizer.spm;

import dev.cria.tokenizer.TokenizerFormatException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * A bounds-checked reader of the protocol buffers wire format (proto2), enough for SentencePiece's ModelProto.
 *
 * <p>Every read checks the remaining length, so a truncated or corrupt file fails with the byte offset instead of
 * reading past the end. Unknown fields are skipped by wire type, as protobuf does.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private final int end;
    private final String source;
    private int pos;
    private int lastTag;

    ProtoReader(byte[] buf, int offset, int length, String source) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
        this.source = source;
    }

    boolean hasMore() {
        return pos < end;
    }

    int position() {
        return pos;
    }

    /** Reads the next field key; returns the field number, with the wire type in {@link #wireType()}. */
    int nextField() throws TokenizerFormatException {
        int at = pos;
        long key = readVarint();
        int field = (int) (key >>> 3);
        lastTag = (int) (key & 7);
        if (field <= 0) {
            throw error(at, "invalid field number " + field);
        }
        if (lastTag != VARINT && lastTag != FIXED64 && lastTag != LENGTH_DELIMITED && lastTag != FIXED32) {
            throw error(at, "unsupported wire type " + lastTag + " for field " + field);
        }
        return field;
    }

    int wireType() {
        return lastTag;
    }

    long readVarint() throws TokenizerFormatException {
        int at = pos;
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw error(at, "truncated varint");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw error(at, "varint longer than 10 bytes");
    }

    /** An int32 field: negative values are written as 10-byte varints and come back sign-correct. */
    int readInt32() throws TokenizerFormatException {
        return (int) readVarint();
    }

    boolean readBool() throws TokenizerFormatException {
        return readVarint() != 0;
    }

    float readFloat() throws TokenizerFormatException {
        return Float.intBitsToFloat(readFixed32());
    }

    int readFixed32() throws TokenizerFormatException {
        require(4, "fixed32");
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    /** Reads a length prefix and returns the start offset of the payload; the reader moves past it. */
    int readLengthDelimited() throws TokenizerFormatException {
        int at = pos;
        long len = readVarint();
        if (len < 0 || len > end - pos) {
            throw error(at, "length " + len + " runs past the end (" + (end - pos) + " bytes left)");
        }
        int start = pos;
        pos += (int) len;
        return start;
    }

    /** The payload length of the last {@link #readLengthDelimited()} call, given its start. */
    int lengthSince(int start) {
        return pos - start;
    }

    byte[] readBytes() throws TokenizerFormatException {
        int start = readLengthDelimited();
        byte[] out = new byte[pos - start];
        System.arraycopy(buf, start, out, 0, out.length);
        return out;
    }

    String readString() throws TokenizerFormatException {
        int start = readLengthDelimited();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, start, pos - start))
                    .toString();
        } catch (CharacterCodingException e) {
            throw error(start, "string field is not valid UTF-8");
        }
    }

    ProtoReader subReader() throws TokenizerFormatException {
        int start = readLengthDelimited();
        return new ProtoReader(buf, start, pos - start, source);
    }

    void skip() throws TokenizerFormatException {
        switch (lastTag) {
            case VARINT -> readVarint();
            case FIXED64 -> {
                require(8, "fixed64");
                pos += 8;
            }
            case LENGTH_DELIMITED -> readLengthDelimited();
            case FIXED32 -> {
                require(4, "fixed32");
                pos += 4;
            }
            default -> throw error(pos, "cannot skip wire type " + lastTag);
        }
    }

    void expect(int wireType, int field) throws TokenizerFormatException {
        if (lastTag != wireType) {
            throw error(pos, "field " + field + " has wire type " + lastTag + ", expected " + wireType);
        }
    }

    private void require(int n, String what) throws TokenizerFormatException {
        if (end - pos < n) {
            throw error(pos, "truncated " + what);
        }
    }

    TokenizerFormatException error(int offset, String message) {
        return new TokenizerFormatException(source + ": byte " + offset + ": " + message);
    }
}
