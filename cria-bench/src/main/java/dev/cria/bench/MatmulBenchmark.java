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
 * {@code Y = X Wᵀ} for {@code n} tokens through {@link Kernels#matmul}, the prompt-prefill product. Compute-bound:
 * the {@code flops} counter ({@code 2·rows·cols·n} per call) per microsecond is MFLOP/s, to set against the FMA
 * peak ({@link MachineLimitsBenchmark#fma256}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatmulBenchmark {
    @Param({"F32", "F16", "BF16"})
    public DType type;
    @Param({"768x768", "2048x768", "768x2048", "32000x768"})
    public String shape;
    @Param({"128"})
    public int n;
    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private Parallel parallel;
    private Matrix w;
    private float[] x;
    private float[] y;
    private long flopsPerCall;

    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Work {
        public long flops;
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] rc = shape.split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        arena = Arena.ofShared();
        w = Weights.random(arena, type, rows, cols, 42);
        x = Weights.gaussian(n * cols, 43);
        y = new float[n * rows];
        parallel = new Parallel(threads);
        flopsPerCall = 2L * rows * cols * n;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
        arena.close();
    }

    @Benchmark
    public float[] matmul(Work work) {
        Kernels.matmul(parallel, w, x, n, y);
        work.flops += flopsPerCall;
        return y;
    }
}
