package dev.cria.model.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cria.tensor.DType;
import dev.cria.tensor.Matrices;
import dev.cria.testing.LlamaCpp;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The quantizers against ggml itself: {@code ggml_quantize_chunk} of libggml-base.so, called through FFM. */
class GgmlQuantizersTest {
    private static final int GGML_TYPE_Q4_0 = 2;
    private static final int GGML_TYPE_Q8_0 = 8;

    /**
     * Rows that exercise the rounding rules: random normals, a zero block, ties at .5 after scaling, a negative
     * extreme, equal magnitudes of both signs (Q4_0 takes the first), tiny values whose scale is subnormal in f16,
     * and huge ones.
     */
    private static float[] rows(int rows, int cols) {
        Random random = new Random(7);
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian() * 0.05f;
        }
        for (int j = 0; j < 32; j++) {
            x[32 + j] = 0f;
            x[64 + j] = (j - 16) * 0.5f + 0.25f;
            x[96 + j] = j == 5 ? -3f : j * 0.1f;
            x[128 + j] = j % 2 == 0 ? 2f : -2f;
            x[160 + j] = (j + 1) * 1e-9f;
            x[192 + j] = (j - 10) * 1e4f;
            x[224 + j] = 127f / 2 * (j % 3) - 63.5f;
        }
        return x;
    }

    private static byte[] ggml(int type, float[] x, int rows, int cols, long bytes) throws Throwable {
        Linker linker = Linker.nativeLinker();
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup lib = SymbolLookup.libraryLookup(LlamaCpp.libraryDir().resolve("libggml-base.so"), arena);
            // size_t ggml_quantize_chunk(enum ggml_type, const float * src, void * dst, int64_t start, int64_t nrows,
            //                            int64_t n_per_row, const float * imatrix)
            MethodHandle chunk = linker.downcallHandle(lib.find("ggml_quantize_chunk").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
            MemorySegment src = arena.allocateFrom(ValueLayout.JAVA_FLOAT, x);
            MemorySegment dst = arena.allocate(bytes);
            long written = (long) chunk.invokeExact(type, src, dst, 0L, (long) rows, (long) cols, MemorySegment.NULL);
            assertEquals(bytes, written, "ggml's byte count");
            return dst.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    private static byte[] ours(BlockQuantizer q, float[] x, int rows, int cols) {
        return new WeightEncoder().encode(Matrices.of(x, rows, cols), q.type()).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void q8_0BytesAreIdenticalToGgmlQuantizeChunk() throws Throwable {
        int rows = 16;
        int cols = 256;
        float[] x = rows(rows, cols);
        assertArrayEquals(ggml(GGML_TYPE_Q8_0, x, rows, cols, DType.Q8_0.rowBytes(cols) * rows), ours(GgmlQuantizers.Q8_0, x, rows, cols));
    }

    @Test
    void q4_0BytesAreIdenticalToGgmlQuantizeChunk() throws Throwable {
        int rows = 16;
        int cols = 256;
        float[] x = rows(rows, cols);
        assertArrayEquals(ggml(GGML_TYPE_Q4_0, x, rows, cols, DType.Q4_0.rowBytes(cols) * rows), ours(GgmlQuantizers.Q4_0, x, rows, cols));
    }

    @Test
    void refusesRowsThatAreNotWholeBlocks() {
        MemorySegment out = MemorySegment.ofArray(new byte[64]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GgmlQuantizers.Q8_0.quantize(new float[40], 0, 40, out, 0));
        assertEquals("Q8_0 works on whole blocks of 32 values, got 40", e.getMessage());
    }
}
