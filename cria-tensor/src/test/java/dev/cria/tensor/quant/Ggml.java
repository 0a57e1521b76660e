package dev.cria.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.cria.tensor.DType;
import dev.cria.testing.LlamaCpp;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * ggml itself as the reference, called through FFM: libggml-base.so (the reference quantizers and the dequantizers
 * its type traits point at) and libggml-cpu-haswell.so (the AVX2 activation quantizer and dot products llama.cpp
 * runs on an AVX2 machine). Both come from node-llama-cpp's prebuilt CPU build (llama.cpp tag recorded in its
 * llama.cpp.info.json); {@link LlamaCpp#libraryDir()} skips the test when it is absent and fails under CI.
 */
final class Ggml {
    static final int TYPE_Q4_0 = 2;
    static final int TYPE_Q8_0 = 8;

    private static final Linker LINKER = Linker.nativeLinker();
    private static Ggml base;
    private static Ggml cpu;

    private final SymbolLookup lookup;

    private Ggml(SymbolLookup lookup) {
        this.lookup = lookup;
    }

    /** libggml-base.so, loaded once. */
    static synchronized Ggml base() {
        if (base == null) {
            base = new Ggml(SymbolLookup.libraryLookup(LlamaCpp.libraryDir().resolve("libggml-base.so"), Arena.global()));
        }
        return base;
    }

    /**
     * libggml-cpu-haswell.so, loaded and initialized once; skips the test on a CPU without AVX2, FMA, F16C and BMI2
     * (its code would fault).
     */
    static synchronized Ggml haswell() {
        if (cpu == null) {
            Path dir = LlamaCpp.libraryDir();
            if (!cpuHas(Set.of("avx2", "fma", "f16c", "bmi2"))) {
                abort("this CPU lacks AVX2/FMA/F16C/BMI2: ggml's haswell kernels cannot run here");
            }
            base();
            Ggml loaded = new Ggml(SymbolLookup.libraryLookup(dir.resolve("libggml-cpu-haswell.so"), Arena.global()));
            // Fills ggml_table_f32_f16, through which the x86 kernels read f16 scales (zeros until then).
            try {
                loaded.function("ggml_cpu_init", FunctionDescriptor.ofVoid()).invokeExact();
            } catch (Throwable t) {
                throw rethrow(t);
            }
            cpu = loaded;
        }
        return cpu;
    }

    private static boolean cpuHas(Set<String> flags) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    Set<String> have = Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                    return have.containsAll(flags);
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private MethodHandle function(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new IllegalStateException("ggml library has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    MemorySegment address(String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalStateException("ggml library has no symbol " + name));
    }

    private static int ggmlType(DType type) {
        return switch (type) {
            case Q8_0 -> TYPE_Q8_0;
            case Q4_0 -> TYPE_Q4_0;
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    /** {@code ggml_quantize_chunk(type, src, dst, 0, rows, cols, NULL)}. */
    byte[] quantizeChunk(DType type, float[] src, int rows, int cols) {
        MethodHandle h = function("ggml_quantize_chunk", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        int bytes = (int) type.rowBytes(cols) * rows;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocateFrom(ValueLayout.JAVA_FLOAT, src);
            MemorySegment out = arena.allocate(Math.max(bytes, 1));
            long written = (long) h.invokeExact(ggmlType(type), in, out, 0L, (long) rows, (long) cols, MemorySegment.NULL);
            assertEquals(bytes, written, "ggml_quantize_chunk's size");
            return out.asSlice(0, bytes).toArray(ValueLayout.JAVA_BYTE);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Dequantizes through {@code ggml_get_type_traits(type)->to_float}. The struct is read with ggml.h's layout
     * ({@code type_name, blck_size, blck_size_interleave, type_size, is_quantized, to_float, from_float_ref}); the
     * layout is pinned by checking the block size, the type size and that {@code to_float} is ggml's exported
     * {@code dequantize_row_*}.
     */
    float[] toFloat(DType type, byte[] data, int count) {
        MemorySegment traits = typeTraits(type);
        MemorySegment toFloat = traits.get(ValueLayout.ADDRESS, 40);
        MethodHandle h = LINKER.downcallHandle(toFloat, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(Math.max(data.length, 1));
            MemorySegment.copy(data, 0, in, ValueLayout.JAVA_BYTE, 0, data.length);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(count, 1));
            h.invokeExact(in, out, (long) count);
            return out.asSlice(0, 4L * count).toArray(ValueLayout.JAVA_FLOAT);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private MemorySegment typeTraits(DType type) {
        MethodHandle h = function("ggml_get_type_traits", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        MemorySegment traits;
        try {
            traits = ((MemorySegment) h.invokeExact(ggmlType(type))).reinterpret(56);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        assertEquals(type.blockSize(), traits.get(ValueLayout.JAVA_LONG, 8), "ggml_type_traits.blck_size");
        assertEquals(type.blockBytes(), traits.get(ValueLayout.JAVA_LONG, 24), "ggml_type_traits.type_size");
        assertEquals(1, traits.get(ValueLayout.JAVA_BYTE, 32), "ggml_type_traits.is_quantized");
        String dequantizer = type == DType.Q8_0 ? "dequantize_row_q8_0" : "dequantize_row_q4_0";
        assertEquals(address(dequantizer).address(), traits.get(ValueLayout.ADDRESS, 40).address(), "ggml_type_traits.to_float is " + dequantizer);
        return traits;
    }

    /** libggml-cpu's {@code quantize_row_q8_0}: the activation quantizer of the mat-vec path (AVX2 code here). */
    byte[] quantizeRowQ8_0(float[] x) {
        MethodHandle h = function("quantize_row_q8_0", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        int bytes = x.length / 32 * 34;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocateFrom(ValueLayout.JAVA_FLOAT, x);
            MemorySegment out = arena.allocate(bytes);
            h.invokeExact(in, out, (long) x.length);
            return out.toArray(ValueLayout.JAVA_BYTE);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** libggml-cpu's {@code ggml_vec_dot_q8_0_q8_0} or {@code ggml_vec_dot_q4_0_q8_0} of one weight row and Q8_0 activations. */
    float vecDot(DType weightType, byte[] weightRow, byte[] activations, int n) {
        String name = weightType == DType.Q8_0 ? "ggml_vec_dot_q8_0_q8_0" : "ggml_vec_dot_q4_0_q8_0";
        MethodHandle h = function(name, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(ValueLayout.JAVA_FLOAT);
            MemorySegment vx = arena.allocate(weightRow.length);
            MemorySegment.copy(weightRow, 0, vx, ValueLayout.JAVA_BYTE, 0, weightRow.length);
            MemorySegment vy = arena.allocate(activations.length);
            MemorySegment.copy(activations, 0, vy, ValueLayout.JAVA_BYTE, 0, activations.length);
            h.invokeExact(n, s, 0L, vx, 0L, vy, 0L, 1);
            return s.get(ValueLayout.JAVA_FLOAT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code ggml_fp32_to_fp16_row}: the f32 to f16 conversion the quantizers store their scales with. */
    short[] toHalf(float[] x) {
        MethodHandle h = function("ggml_fp32_to_fp16_row", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocateFrom(ValueLayout.JAVA_FLOAT, x);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_SHORT, Math.max(x.length, 1));
            h.invokeExact(in, out, (long) x.length);
            return out.asSlice(0, 2L * x.length).toArray(ValueLayout.JAVA_SHORT);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
