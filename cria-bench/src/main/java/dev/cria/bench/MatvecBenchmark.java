package dev.cria.bench;

import dev.cria.tensor.DType;
import dev.cria.tensor.Kernels;
import dev.cria.tensor.Matrix;
import dev.cria.tensor.Parallel;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code y = W x} through {@link Kernels#matvec}, the decoding step's product. Memory-bound: the {@code weightBytes}
 * counter is the rate at which weight bytes stream through (bytes per microsecond = MB/s), to set against the
 * machine's read bandwidth ({@link MachineLimitsBenchmark#read}). 768x768 (2.4 MB as f32) and 2048x768 live in the
 * 32 MB L3 between calls; 32000x768 (98 MB as f32) comes from DRAM every call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatvecBenchmark {
    @Param({"F32", "F16", "BF16"})
    public DType type;
    @Param({"768x768", "2048x768", "768x2048", "32000x768"})
    public String shape;
    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private Parallel parallel;
    private Matrix w;
    private float[] x;
    private float[] y;

    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Traffic {
        public long weightBytes;
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] rc = shape.split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        arena = Arena.ofShared();
        w = Weights.random(arena, type, rows, cols, 42);
        x = Weights.gaussian(cols, 43);
        y = new float[rows];
        parallel = new Parallel(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
        arena.close();
    }

    @Benchmark
    public float[] matvec(Traffic traffic) {
        Kernels.matvec(parallel, w, x, y);
        traffic.weightBytes += w.data().byteSize();
        return y;
    }
}
