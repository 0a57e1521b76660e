package dev.cria.tensor;

import dev.cria.tensor.quant.Q4_0Matrix;
import dev.cria.tensor.quant.Q8_0Matrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Wraps raw bytes (a GGUF tensor, a file slice, an array) as a {@link Matrix} of the given format. */
public final class Matrices {
    private Matrices() {
    }

    /**
     * A matrix over {@code data}. Native and mapped bytes are used in place ({@link Matrix#data()} returns them);
     * heap bytes are first copied into native memory (see {@link #kernelSegment}).
     */
    public static Matrix of(DType type, MemorySegment data, int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(type + " matrix needs a non-negative shape, got " + rows + "x" + cols);
        }
        long expected = type.rowBytes(cols) * rows;
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException(type + " matrix " + rows + "x" + cols + " needs " + expected + " bytes, got " + data.byteSize());
        }
        MemorySegment bytes = data.isNative() ? data : kernelSegment(data);
        return switch (type) {
            case F32 -> new F32Matrix(bytes, rows, cols);
            case F16 -> new HalfMatrix(bytes, rows, cols, false);
            case BF16 -> new HalfMatrix(bytes, rows, cols, true);
            case Q8_0 -> new Q8_0Matrix(bytes, rows, cols);
            case Q4_0 -> new Q4_0Matrix(bytes, rows, cols);
        };
    }

    /** An F32 matrix holding a copy of {@code values} (row-major); later writes to the array are not seen. */
    public static Matrix of(float[] values, int rows, int cols) {
        if (rows < 0 || cols < 0 || values.length != (long) rows * cols) {
            throw new IllegalArgumentException(rows + "x" + cols + " matrix needs " + (long) rows * cols + " values, got " + values.length);
        }
        return new F32Matrix(kernelSegment(MemorySegment.ofArray(values)), rows, cols);
    }

    /**
     * The same bytes as a plain native segment, the only kind the kernels should be given. The JIT keeps one type
     * profile for the segment accesses inside the Vector API, shared by every caller in the JVM: once it has seen two
     * or three segment classes (native, mapped, heap), each vector load becomes a type switch or a virtual call, and
     * the kernels run 2 to 10 times slower (measured). So heap segments are copied into native memory (kept alive by
     * the garbage collector, read-only if the source was), and mapped segments are viewed through
     * {@link MemorySegment#reinterpret(long)}, which keeps their scope (and so their liveness checks) but not their
     * class. That call is restricted: run with {@code --enable-native-access=ALL-UNNAMED} to silence its warning.
     * Every {@link Matrix} implementation should read its bytes through such a view.
     */
    public static MemorySegment kernelSegment(MemorySegment data) {
        if (!data.isNative()) {
            MemorySegment copy = Arena.ofAuto().allocate(data.byteSize(), 64);
            copy.copyFrom(data);
            return data.isReadOnly() ? copy.asReadOnly() : copy;
        }
        if (data.isMapped()) {
            return data.reinterpret(data.byteSize());
        }
        return data;
    }
}
