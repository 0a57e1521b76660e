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
 * Prompt processing's weight work: a batch of {@code tokens} activations multiplied through every matrix of a
 * Llama shape (one matmul per matrix, as a batched forward does). Compute-bound: the {@code flops} counter (2 per
 * weight per token), in flops per second, is the rate to hold against the FMA peak; {@code tokens} per second is an
 * upper bound on prefill speed (attention excluded).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class QuantPrefillBenchmark {
    @Param({"stories110M", "stories15M"})
    public String shape;
    @Param({"Q8_0", "Q4_0"})
    public String type;
    @Param({"F32", "Q8_0"})
    public String kernel;
    @Param({"1", "2"})
    public int threads;
    @Param({"128"})
    public int tokens;

    private Arena arena;
    private ModelWeights weights;
    private Parallel parallel;
    private float[] xDim;
    private float[] xHidden;
    private float[] y;

    /** Rates per second: flops of the products, tokens. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Rates {
        public long flops;
        public long tokens;
    }

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        weights = ModelWeights.of(shape, DType.valueOf(type), QuantKernel.valueOf(kernel), arena);
        parallel = new Parallel(threads);
        xDim = activations(tokens * weights.dim());
        xHidden = activations(tokens * weights.hidden());
        y = new float[tokens * 32000];
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

    @Benchmark
    public float batch(Rates rates) {
        for (Matrix m : weights.matrices()) {
            Kernels.matmul(parallel, m, m.cols() == weights.dim() ? xDim : xHidden, tokens, y);
        }
        rates.flops += 2 * weights.parameters() * tokens;
        rates.tokens += tokens;
        return y[0];
    }
}
