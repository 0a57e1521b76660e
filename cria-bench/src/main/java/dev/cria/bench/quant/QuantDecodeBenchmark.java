package dev.cria.bench.quant;

import dev.cria.tensor.DType;
import dev.cria.tensor.Kernels;
import dev.cria.tensor.Matrix;
import dev.cria.tensor.Parallel;
import dev.cria.tensor.quant.QuantKernel;
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
 * Decoding's weight stream: one matvec through every matrix of a Llama shape, the work of one generated token
 * (attention and norms excluded). Memory-bound: the {@code weightBytes} counter, in bytes per second, is the rate to
 * hold against the machine's read bandwidth, and the operation rate is an upper bound on tokens per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class QuantDecodeBenchmark {
    @Param({"stories110M", "stories15M"})
    public String shape;
    @Param({"Q8_0", "Q4_0"})
    public String type;
    @Param({"F32", "Q8_0"})
    public String kernel;
    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private ModelWeights weights;
    private Parallel parallel;
    private float[] xDim;
    private float[] xHidden;
    private float[] y;

    /** Rates per second: weight bytes streamed, tokens. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Rates {
        public long weightBytes;
        public long tokens;
    }

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        weights = ModelWeights.of(shape, DType.valueOf(type), QuantKernel.valueOf(kernel), arena);
        parallel = new Parallel(threads);
        xDim = activations(weights.dim());
        xHidden = activations(weights.hidden());
        y = new float[32000];
    }

    private static float[] activations(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(i * 0.37);
        }
        return x;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
        arena.close();
    }

    /**
     * The ceiling for {@link #token}: the same weight bytes, split over the threads the same way, only read (summed as
     * longs), measured in the same run.
     */
    @Benchmark
    public long readOnly(Rates rates) {
        long sum = 0;
        for (Matrix m : weights.matrices()) {
            parallel.forRange(m.rows(), (from, to) -> partial[0] += WeightStream.sum(m.data(), from * (m.data().byteSize() / m.rows()),
                    to * (m.data().byteSize() / m.rows())));
            sum += partial[0];
        }
        rates.weightBytes += weights.bytes();
        rates.tokens++;
        return sum;
    }

    /** Where the threads' sums go (racy, on purpose: it only keeps the reads from being optimized away). */
    private final long[] partial = new long[1];

    @Benchmark
    public float token(Rates rates) {
        for (Matrix m : weights.matrices()) {
            Kernels.matvec(parallel, m, m.cols() == weights.dim() ? xDim : xHidden, y);
        }
        rates.weightBytes += weights.bytes();
        rates.tokens++;
        return y[0];
    }
}
