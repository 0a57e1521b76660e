package dev.cria.gguf;

import java.util.Optional;

/** The metadata value types of GGUF, numbered as in the file ({@code enum gguf_type}); all little-endian. */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    /** One byte, 0 or 1. */
    BOOL(7, 1),
    /** uint64 byte length, then that many bytes of UTF-8, no terminator. */
    STRING(8, 0),
    /** uint32 element type, uint64 count, then the elements; elements may themselves be arrays. */
    ARRAY(9, 0),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private static final GgufValueType[] BY_ID = values();

    private final int id;
    private final int byteSize;

    GgufValueType(int id, int byteSize) {
        this.id = id;
        this.byteSize = byteSize;
    }

    /** The number that stands for this type in a file. */
    public int id() {
        return id;
    }

    /** The type numbered {@code id} in a file, if GGUF defines one. */
    public static Optional<GgufValueType> byId(long id) {
        return id >= 0 && id < BY_ID.length ? Optional.of(BY_ID[(int) id]) : Optional.empty();
    }

    /** True for the eight integer types (not BOOL). */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** True for the types whose values all take {@link #byteSize()} bytes: every type but STRING and ARRAY. */
    public boolean isFixedSize() {
        return byteSize > 0;
    }

    /** Bytes per value of a fixed-size type. */
    public int byteSize() {
        if (byteSize == 0) {
            throw new UnsupportedOperationException(this + " values have no fixed size");
        }
        return byteSize;
    }

    /** The smallest value of an integer type; unsigned 64-bit values are held as their bit pattern. */
    long min() {
        return switch (this) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64, UINT64 -> Long.MIN_VALUE;
            default -> 0;
        };
    }

    /** The largest value of an integer type (for UINT64, the bit patterns cover the whole long range). */
    long max() {
        return switch (this) {
            case UINT8 -> 0xFFL;
            case INT8 -> Byte.MAX_VALUE;
            case UINT16 -> 0xFFFFL;
            case INT16 -> Short.MAX_VALUE;
            case UINT32 -> 0xFFFF_FFFFL;
            case INT32 -> Integer.MAX_VALUE;
            default -> Long.MAX_VALUE;
        };
    }
}
