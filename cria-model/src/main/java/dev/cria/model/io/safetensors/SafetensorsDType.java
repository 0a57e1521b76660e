package dev.cria.model.io.safetensors;

import dev.cria.tensor.DType;
import java.util.Optional;

/**
 * The element types a safetensors header may name (the {@code dtype} strings of the format's reference
 * implementation), with their sizes in bytes. Every one can be validated and sliced; only {@link #F32},
 * {@link #F16} and {@link #BF16} become weights ({@link #weightType()}).
 *
 * <p>The sub-byte types of newer writers ({@code F4}, {@code F6_E2M3}, {@code F6_E3M2}) pack several values
 * per byte; a header that names them, or any other string, is refused when the file is opened, because its
 * offsets cannot be checked.
 */
public enum SafetensorsDType {
    BOOL(1),
    U8(1),
    I8(1),
    F8_E5M2(1),
    F8_E4M3(1),
    F8_E8M0(1),
    I16(2),
    U16(2),
    F16(2),
    BF16(2),
    I32(4),
    U32(4),
    F32(4),
    F64(8),
    I64(8),
    U64(8),
    C64(8);

    private final int byteSize;

    SafetensorsDType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The header spelling of this type, or empty for a string the format does not define. */
    public static Optional<SafetensorsDType> parse(String name) {
        for (SafetensorsDType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The weight format this type maps to, or empty when Cria cannot compute with it. */
    public Optional<DType> weightType() {
        return switch (this) {
            case F32 -> Optional.of(DType.F32);
            case F16 -> Optional.of(DType.F16);
            case BF16 -> Optional.of(DType.BF16);
            default -> Optional.empty();
        };
    }

    /** The safetensors type holding a weight format; quantized formats have none. */
    public static Optional<SafetensorsDType> of(DType type) {
        return switch (type) {
            case F32 -> Optional.of(F32);
            case F16 -> Optional.of(F16);
            case BF16 -> Optional.of(BF16);
            case Q8_0, Q4_0 -> Optional.empty();
        };
    }
}
