package dev.cria.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
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
 * The two ceilings the kernels are judged against, measured rather than taken from a datasheet: the fp32 FMA
 * throughput (independent accumulators, no memory traffic) and the read bandwidth of a buffer far larger than the
 * last-level cache. Run with {@code -t 1} and {@code -t 2} to get the per-core and whole-machine figures.
 *
 * <p>Scores are in operations per microsecond; an operation is one flop ({@code fma*}) or one byte ({@code read*}),
 * so the score divided by 1000 is GFLOP/s or GB/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MachineLimitsBenchmark {
    private static final int FMA_STEPS = 4096;
    private static final long READ_BYTES = 512L << 20;

    private Arena arena;
    private MemorySegment buffer;

    @Setup(Level.Trial)
    public void allocate() {
        arena = Arena.ofShared();
        buffer = arena.allocate(READ_BYTES, 64);
        for (long i = 0; i < READ_BYTES; i += 4) {
            buffer.set(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, (i & 1023) * 1e-3f);
        }
    }

    @TearDown(Level.Trial)
    public void free() {
        arena.close();
    }

    // volatile: a fresh read per call keeps the JIT from hoisting the whole pure computation out of the measurement loop
    private volatile float scale = 0.999f;
    private final float shift = 1e-3f;

    /*
     * 12 independent FMA chains cover the FMA latency (4 cycles) times the FMA pipes (2). The species must be a
     * compile-time constant in each method for the Vector API to be intrinsified, hence two copies.
     */
    @Benchmark
    @OperationsPerInvocation(FMA_STEPS * 12 * 8 * 2)
    public float fma256() {
        VectorSpecies<Float> s = FloatVector.SPECIES_256;
        FloatVector a = FloatVector.broadcast(s, scale);
        FloatVector b = FloatVector.broadcast(s, shift);
        FloatVector c0 = b.add(1), c1 = b.add(2), c2 = b.add(3), c3 = b.add(4), c4 = b.add(5), c5 = b.add(6);
        FloatVector c6 = b.add(7), c7 = b.add(8), c8 = b.add(9), c9 = b.add(10), c10 = b.add(11), c11 = b.add(12);
        for (int i = 0; i < FMA_STEPS; i++) {
            c0 = c0.fma(a, b); c1 = c1.fma(a, b); c2 = c2.fma(a, b); c3 = c3.fma(a, b);
            c4 = c4.fma(a, b); c5 = c5.fma(a, b); c6 = c6.fma(a, b); c7 = c7.fma(a, b);
            c8 = c8.fma(a, b); c9 = c9.fma(a, b); c10 = c10.fma(a, b); c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }

    @Benchmark
    @OperationsPerInvocation(FMA_STEPS * 12 * 16 * 2)
    public float fma512() {
        VectorSpecies<Float> s = FloatVector.SPECIES_512;
        FloatVector a = FloatVector.broadcast(s, scale);
        FloatVector b = FloatVector.broadcast(s, shift);
        FloatVector c0 = b.add(1), c1 = b.add(2), c2 = b.add(3), c3 = b.add(4), c4 = b.add(5), c5 = b.add(6);
        FloatVector c6 = b.add(7), c7 = b.add(8), c8 = b.add(9), c9 = b.add(10), c10 = b.add(11), c11 = b.add(12);
        for (int i = 0; i < FMA_STEPS; i++) {
            c0 = c0.fma(a, b); c1 = c1.fma(a, b); c2 = c2.fma(a, b); c3 = c3.fma(a, b);
            c4 = c4.fma(a, b); c5 = c5.fma(a, b); c6 = c6.fma(a, b); c7 = c7.fma(a, b);
            c8 = c8.fma(a, b); c9 = c9.fma(a, b); c10 = c10.fma(a, b); c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }

    /** Sums the whole buffer with 4 vector accumulators: the attainable streaming read rate. */
    @Benchmark
    @OperationsPerInvocation((int) READ_BYTES)
    public float read() {
        VectorSpecies<Float> s = FloatVector.SPECIES_256;
        FloatVector a0 = FloatVector.zero(s), a1 = a0, a2 = a0, a3 = a0;
        long step = 4L * s.vectorByteSize();
        for (long off = 0; off < READ_BYTES; off += step) {
            a0 = a0.add(FloatVector.fromMemorySegment(s, buffer, off, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(FloatVector.fromMemorySegment(s, buffer, off + 32, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(FloatVector.fromMemorySegment(s, buffer, off + 64, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(FloatVector.fromMemorySegment(s, buffer, off + 96, ByteOrder.LITTLE_ENDIAN));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }
}
