package dev.cria.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A tensor of an open {@link GgufFile}: its directory entry and a slice of the mapped file holding exactly its
 * bytes. The slice is valid until the file is closed; reading it afterwards throws {@link IllegalStateException}.
 */
public record GgufTensor(GgufTensorInfo info, MemorySegment data) {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public GgufTensor {
        Objects.requireNonNull(info, "info");
        if (data.byteSize() != info.byteSize()) {
            throw new IllegalArgumentException("tensor " + info.name() + " needs " + info.byteSize()
                    + " bytes, the segment has " + data.byteSize());
        }
    }

    public String name() {
        return info.name();
    }

    public GgmlType type() {
        return info.type();
    }

    /** A copy of the dimensions, first dimension fastest. */
    public long[] dimensions() {
        return info.dimensions();
    }

    public long elementCount() {
        return info.elementCount();
    }

    public long byteSize() {
        return data.byteSize();
    }

    /**
     * The elements widened to floats, for the plain float types F32, F16 and BF16 (the first dimension fastest).
     * Quantized types need their block decoder and are refused here.
     *
     * @throws UnsupportedOperationException for other types, or more than {@code Integer.MAX_VALUE - 8} elements
     */
    public float[] toFloatArray() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new UnsupportedOperationException("tensor " + name() + " has " + n + " elements, too many for a float[]");
        }
        int count = (int) n;
        float[] out = new float[count];
        switch (type()) {
            case F32 -> MemorySegment.copy(data, F32, 0, out, 0, count);
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = Float.float16ToFloat(data.get(U16, 2L * i));
                }
            }
            // bfloat16 is the high half of a float32: shift its 16 bits into place.
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = Float.intBitsToFloat((data.get(U16, 2L * i) & 0xFFFF) << 16);
                }
            }
            default -> throw new UnsupportedOperationException("tensor " + name() + " is " + type()
                    + "; only F32, F16 and BF16 widen to floats here");
        }
        return out;
    }
}
