package dev.cria.bench.quant;

import dev.cria.tensor.DType;
import dev.cria.tensor.Matrix;
import dev.cria.tensor.quant.Q4_0Matrix;
import dev.cria.tensor.quant.Q8_0Matrix;
import dev.cria.tensor.quant.QuantKernel;
import dev.cria.tensor.quant.QuantizedFormats;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Best-of-N timings of one quantized product on one thread, beside the two ceilings measured in the same process: the
 * rate at which the same bytes are only read ({@link WeightStream}) and the rate of independent fused multiply-adds.
 * On a machine shared with other jobs a mean (JMH's score) mostly measures the other jobs; the fastest of many short
 * repetitions is the run that had the core to itself, so its ratio to the ceilings is the kernel's own.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp cria-bench/target/benchmarks.jar dev.cria.bench.quant.BestOfKernels \
 *     TYPE ROWS COLS TOKENS REPETITIONS KERNEL[,KERNEL...]      e.g. Q8_0 2048 768 128 60 F32,Q8_0
 * </pre>
 * TOKENS 1 times {@code matvec} (decode), more times {@code matmul} (prefill).
 */
public final class BestOfKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private BestOfKernels() {
    }

    public static void main(String[] args) {
        if (args.length != 6) {
            throw new IllegalArgumentException("usage: BestOfKernels TYPE ROWS COLS TOKENS REPETITIONS KERNEL[,KERNEL...]");
        }
        DType type = DType.valueOf(args[0].toUpperCase(Locale.ROOT));
        int rows = Integer.parseInt(args[1]);
        int cols = Integer.parseInt(args[2]);
        int n = Integer.parseInt(args[3]);
        int repetitions = Integer.parseInt(args[4]);
        SplittableRandom random = new SplittableRandom(1);
        float[] w = new float[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        byte[] bytes = QuantizedFormats.quantize(type, w, rows, cols);
        MemorySegment data = Arena.global().allocate(bytes.length, 64);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, data, 0, bytes.length);
        float[] x = new float[Math.multiplyExact(n, cols)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] y = new float[Math.multiplyExact(n, rows)];
        double flops = 2.0 * rows * cols * n;

        double read = best(repetitions, () -> WeightStream.sum(data, 0, data.byteSize()));
        System.out.printf(Locale.ROOT, "read only: %.3f ms, %.2f GB/s%n", read * 1e3, bytes.length / read * 1e-9);
        double peak = best(repetitions, () -> (long) fmaLoop(2_000_000, x));
        System.out.printf(Locale.ROOT, "fma peak: %.1f GFLOP/s (%s)%n", 2_000_000 * 12.0 * F.length() * 2 / peak * 1e-9, F);
        for (String name : args[5].split(",")) {
            QuantKernel kernel = QuantKernel.valueOf(name.toUpperCase(Locale.ROOT));
            Matrix m = type == DType.Q8_0 ? new Q8_0Matrix(data, rows, cols, kernel) : new Q4_0Matrix(data, rows, cols, kernel);
            double t = best(repetitions, () -> {
                if (n == 1) {
                    m.matvec(x, y, 0, rows);
                } else {
                    m.matmul(x, n, y, 0, rows);
                }
                return Float.floatToRawIntBits(y[0]);
            });
            System.out.printf(Locale.ROOT, "%s %dx%d %s kernel, %d token(s): %.3f ms, %.1f GFLOP/s, %.2f GB/s of weights%n",
                    type, rows, cols, kernel, n, t * 1e3, flops / t * 1e-9, bytes.length / t * 1e-9);
        }
    }

    /** The shortest of {@code repetitions} timed calls, in seconds (the result is kept so the work is not dropped). */
    private static double best(int repetitions, java.util.function.LongSupplier work) {
        double[] seconds = new double[repetitions];
        long sink = 0;
        for (int i = 0; i < repetitions; i++) {
            long start = System.nanoTime();
            sink += work.getAsLong();
            seconds[i] = (System.nanoTime() - start) * 1e-9;
        }
        if (sink == 42) {
            System.out.print("");
        }
        return Arrays.stream(seconds).min().orElseThrow();
    }

    /** Twelve independent chains of fused multiply-adds, enough to fill two FMA pipes of latency 4 or 5. */
    private static float fmaLoop(long iterations, float[] seed) {
        FloatVector b = FloatVector.fromArray(F, seed, 0).mul(1e-3f);
        FloatVector c = FloatVector.fromArray(F, seed, F.length()).mul(1e-3f);
        FloatVector a0 = b, a1 = c, a2 = b, a3 = c, a4 = b, a5 = c, a6 = b, a7 = c, a8 = b, a9 = c, a10 = b, a11 = c;
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(b, c);
            a1 = a1.fma(b, c);
            a2 = a2.fma(b, c);
            a3 = a3.fma(b, c);
            a4 = a4.fma(b, c);
            a5 = a5.fma(b, c);
            a6 = a6.fma(b, c);
            a7 = a7.fma(b, c);
            a8 = a8.fma(b, c);
            a9 = a9.fma(b, c);
            a10 = a10.fma(b, c);
            a11 = a11.fma(b, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
