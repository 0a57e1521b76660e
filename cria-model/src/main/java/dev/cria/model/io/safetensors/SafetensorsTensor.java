package dev.cria.model.io.safetensors;

import dev.cria.tensor.DType;
import dev.cria.tensor.Layouts;
import dev.cria.tensor.Matrices;
import dev.cria.tensor.Matrix;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor of a safetensors file: its name, dtype, shape (row-major, last dimension fastest) and its bytes, a
 * slice of the mapped file.
 *
 * @param file the file it lives in (for messages)
 * @param name the header key
 * @param dtype the element type
 * @param shape the dimensions, outermost first; empty for a scalar
 * @param fileOffset where its bytes start, from the start of the file
 * @param data its bytes, little-endian
 */
public record SafetensorsTensor(Path file, String name, SafetensorsDType dtype, long[] shape, long fileOffset, MemorySegment data) {

    public SafetensorsTensor {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** The product of the dimensions (1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public long byteSize() {
        return data.byteSize();
    }

    /** Shape and dtype as people write them: {@code F16 [4096, 11008]}. */
    public String describe() {
        return dtype + " " + Arrays.toString(shape);
    }

    /**
     * The tensor as a {@code rows × cols} weight matrix over the mapped bytes (no copy).
     *
     * @throws SafetensorsFormatException when it is not 2-D, or its dtype is not F32, F16 or BF16
     */
    public Matrix matrix() throws SafetensorsFormatException {
        if (shape.length != 2) {
            throw error("is " + describe() + ", expected a 2-D matrix");
        }
        return Matrices.of(weightType(), data, Math.toIntExact(shape[0]), Math.toIntExact(shape[1]));
    }

    /**
     * The values as floats (F32, F16 or BF16), row-major; allocates.
     *
     * @throws SafetensorsFormatException when the dtype is not a float type Cria reads, or it has more than
     *                                    {@code Integer.MAX_VALUE - 8} elements
     */
    public float[] toFloatArray() throws SafetensorsFormatException {
        DType type = weightType();
        long count = elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw error("has " + count + " elements, too many for one array");
        }
        float[] out = new float[(int) count];
        switch (type) {
            case F32 -> MemorySegment.copy(data, Layouts.F32, 0, out, 0, out.length);
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Layouts.f16ToF32(data.get(Layouts.I16, 2L * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Layouts.bf16ToF32(data.get(Layouts.I16, 2L * i));
                }
            }
            default -> throw new AssertionError(type);
        }
        return out;
    }

    /** The weight format of the dtype, or a clear error naming the tensor and dtype. */
    public DType weightType() throws SafetensorsFormatException {
        return dtype.weightType().orElseThrow(() -> error("has dtype " + dtype + "; weights must be F32, F16 or BF16"));
    }

    /** An error about this tensor, located at its first byte. */
    public SafetensorsFormatException error(String detail) {
        return new SafetensorsFormatException(file, fileOffset, "tensor '" + name + "' " + detail);
    }
}
