package dev.cria.bench.gemm;

import dev.cria.tensor.Parallel;
import dev.cria.tensor.gemm.Gemm;
import java.util.SplittableRandom;
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
 * {@link Gemm#gemm} on the training shapes ({@link GemmShape}) with 1 and 2 threads: calls per second, and as the
 * secondary result {@code gflop} the rate in GFLOP/s (2·m·n·k per call); the machine's FMA peak is 77 GFLOP/s with
 * both cores.
 * Run: {@code java --add-modules jdk.incubator.vector -jar cria-bench/target/benchmarks.jar GemmBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    @Param
    public GemmShape shape;

    @Param({"1", "2"})
    public int threads;

    private Parallel parallel;
    private float[] a;
    private float[] b;
    private float[] c;

    /** Counts GFLOP done; JMH reports it per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rate {
        public double gflop;
    }

    @Setup(Level.Trial)
    public void setUp() {
        parallel = new Parallel(threads);
        SplittableRandom rnd = new SplittableRandom(42);
        a = random(shape.m * shape.k, rnd);
        b = random(shape.k * shape.n, rnd);
        c = random(shape.m * shape.n, rnd);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    private static float[] random(int len, SplittableRandom rnd) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = (float) (rnd.nextDouble() - 0.5);
        }
        return x;
    }

    @Benchmark
    public float[] gemm(Rate rate) {
        GemmShape s = shape;
        // β = 1 shapes keep adding into the same C; the values stay finite over any run length JMH picks.
        Gemm.gemm(parallel, s.transA, s.transB, s.m, s.n, s.k, a, 0, s.lda(), b, 0, s.ldb(), s.beta, c, 0, s.n);
        rate.gflop += s.flops() * 1e-9;
        return c;
    }
}
