package dev.cria.bench;

import dev.cria.tensor.HalfFloats;
import dev.cria.tensor.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Conversions of 4096 values (L1-resident), in values per microsecond. {@link HalfFloats} against the alternatives
 * it was chosen over: for f16, the same conversion written with Vector API integer operations (JDK 25 has no f16
 * lane conversion); for bf16, the plain scalar loop, which C2 does not vectorize.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class HalfConversionBenchmark {
    private static final int N = 4096;
    private static final VectorSpecies<Short> S16 = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> S32 = IntVector.SPECIES_256;

    private Arena arena;
    private MemorySegment halves;
    private MemorySegment out16;
    private MemorySegment outSegment;
    private final float[] floats = new float[N];
    private final float[] out = new float[N];

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        halves = arena.allocate(2L * N, 64);
        out16 = arena.allocate(2L * N, 64);
        outSegment = arena.allocate(4L * N, 64);
        float[] v = Weights.gaussian(N, 7);
        System.arraycopy(v, 0, floats, 0, N);
        HalfFloats.f32ToF16(v, 0, halves, 0, N);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] f16ToF32() {
        HalfFloats.f16ToF32(halves, 0, out, 0, N);
        return out;
    }

    /** The same F16C loop writing into a native segment instead of an array: C2 does not vectorize it. */
    @Benchmark
    @OperationsPerInvocation(N)
    public MemorySegment f16ToF32_scalarLoopIntoSegment() {
        for (int i = 0; i < N; i++) {
            outSegment.set(Layouts.F32, 4L * i, Float.float16ToFloat(halves.get(Layouts.I16, 2L * i)));
        }
        return outSegment;
    }

    /**
     * f16 bits → f32 with integer lanes: {@code (h & 0x7fff) << 13} read as a float and scaled by 2¹¹² is exact for
     * normals and subnormals; exponent 31 becomes infinity or a quiet NaN (as F16C does); then the sign.
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public float[] f16ToF32_vectorApiEmulation() {
        emulateF16ToF32(halves, out);
        return out;
    }

    static void emulateF16ToF32(MemorySegment halves, float[] out) {
        FloatVector scale = FloatVector.broadcast(FloatVector.SPECIES_256, 0x1p112f);
        for (int i = 0; i < out.length; i += S32.length()) {
            IntVector h = (IntVector) ShortVector.fromMemorySegment(S16, halves, 2L * i, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, S32, 0);
            IntVector mag = h.and(0x7FFF);
            IntVector shifted = mag.lanewise(VectorOperators.LSHL, 13);
            IntVector bits = shifted.reinterpretAsFloats().mul(scale).reinterpretAsInts();
            bits = bits.blend(shifted.or(0x7FC00000), mag.compare(VectorOperators.GT, 0x7C00));
            bits = bits.blend(0x7F800000, mag.compare(VectorOperators.EQ, 0x7C00));
            bits.or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().intoArray(out, i);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] bf16ToF32() {
        HalfFloats.bf16ToF32(halves, 0, out, 0, N);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] bf16ToF32_scalarLoop() {
        for (int i = 0; i < N; i++) {
            out[i] = Layouts.bf16ToF32(halves.get(Layouts.I16, 2L * i));
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public MemorySegment f32ToF16() {
        HalfFloats.f32ToF16(floats, 0, out16, 0, N);
        return out16;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public MemorySegment f32ToBf16() {
        HalfFloats.f32ToBf16(floats, 0, out16, 0, N);
        return out16;
    }
}
