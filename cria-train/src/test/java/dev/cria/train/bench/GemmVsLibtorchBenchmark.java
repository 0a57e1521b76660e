package dev.cria.train.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.cria.tensor.Parallel;
import dev.cria.tensor.gemm.Gemm;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link Gemm#gemm} next to libtorch's {@code matmul} (through DJL) on the products of a training step, same
 * shapes, same operand layouts (a transposed operand is a transposed view in libtorch, as autograd passes it), same
 * thread count. libtorch's threads are set with {@code JniUtils.setNumThreads} (at_set_num_threads) and read back;
 * libtorch allocates its result each call, as it does in training. Both sides time the plain product (β = 0, also for
 * the weight gradients that training accumulates). Rounds alternate between the two so that
 * both see the same load; the table gives the median round. Run:
 * {@code mvn -o -pl cria-train test -Dtest=GemmVsLibtorchBenchmark -Dcria.excludedGroups=none}.
 */
@Tag("benchmark")
class GemmVsLibtorchBenchmark {
    private static final int ROUNDS = 7;
    private static final double ROUND_SECONDS = 0.25;

    /** stories15M (dim 288, hidden 768, vocab 32000, 2048 tokens; logits in blocks of 131 rows) and the small model. */
    private record Product(String name, boolean transA, boolean transB, int m, int n, int k) {
        double flops() {
            return 2.0 * m * n * k;
        }
    }

    private static final Product[] PRODUCTS = {
            new Product("attn proj forward", false, true, 2048, 288, 288),
            new Product("ffn up forward", false, true, 2048, 768, 288),
            new Product("ffn down forward", false, true, 2048, 288, 768),
            new Product("ffn up dX", false, false, 2048, 288, 768),
            new Product("ffn down dX", false, false, 2048, 768, 288),
            new Product("ffn up dW", true, false, 768, 288, 2048),
            new Product("ffn down dW", true, false, 288, 768, 2048),
            new Product("logits forward", false, true, 131, 32000, 288),
            new Product("logits dX", false, false, 131, 288, 32000),
            new Product("logits dW", true, false, 32000, 288, 131),
            new Product("small ffn up forward", false, true, 1024, 384, 128),
            new Product("small ffn up dW", true, false, 384, 128, 1024),
            new Product("small logits forward", false, true, 1024, 4096, 128),
    };

    @Test
    void gemmNextToLibtorchMatmul() {
        StringBuilder table = new StringBuilder();
        table.append("| product | m×n×k | threads | Cria ms | Cria GFLOP/s | libtorch ms | libtorch GFLOP/s | libtorch time / Cria time "
                + "| Cria GFLOP per CPU-s | libtorch GFLOP per CPU-s |\n");
        table.append("|---|---|---|---|---|---|---|---|---|---|\n");
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            for (int threads : new int[] {1, 2}) {
                JniUtils.setNumThreads(threads);
                assertEquals(threads, JniUtils.getNumThreads(), "libtorch intra-op threads");
                try (Parallel parallel = new Parallel(threads)) {
                    for (Product p : PRODUCTS) {
                        measure(p, threads, parallel, manager, table);
                    }
                }
            }
        }
        System.out.println(table);
    }

    private static void measure(Product p, int threads, Parallel parallel, NDManager manager, StringBuilder table) {
        SplittableRandom rnd = new SplittableRandom(7);
        int aRows = p.transA ? p.k : p.m;
        int aCols = p.transA ? p.m : p.k;
        int bRows = p.transB ? p.n : p.k;
        int bCols = p.transB ? p.k : p.n;
        float[] a = random(aRows * aCols, rnd);
        float[] b = random(bRows * bCols, rnd);
        float[] c = new float[p.m * p.n];
        try (NDManager scope = manager.newSubManager()) {
            NDArray ta = scope.create(a, new Shape(aRows, aCols));
            NDArray tb = scope.create(b, new Shape(bRows, bCols));
            NDArray opA = p.transA ? ta.transpose(1, 0) : ta;
            NDArray opB = p.transB ? tb.transpose(1, 0) : tb;
            Runnable cria = () -> Gemm.gemm(parallel, p.transA, p.transB, p.m, p.n, p.k, a, 0, aCols, b, 0, bCols,
                    0f, c, 0, p.n);
            Runnable torch = () -> {
                try (NDManager call = scope.newSubManager()) {
                    NDArray product = opA.matMul(opB);
                    product.attach(call);
                }
            };
            cria.run();
            float[] reference;
            try (NDManager call = scope.newSubManager()) {
                NDArray product = opA.matMul(opB);
                product.attach(call);
                reference = product.toFloatArray();
            }
            assertAgree(p, c, reference);
            double[] criaSeconds = new double[ROUNDS];
            double[] torchSeconds = new double[ROUNDS];
            double[] criaCpu = new double[ROUNDS];
            double[] torchCpu = new double[ROUNDS];
            int reps = Math.max(1, (int) (ROUND_SECONDS * 40e9 / p.flops()));
            time(cria, reps, new double[1], 0, new double[1]);
            time(torch, reps, new double[1], 0, new double[1]);
            for (int r = 0; r < ROUNDS; r++) {
                time(cria, reps, criaSeconds, r, criaCpu);
                time(torch, reps, torchSeconds, r, torchCpu);
            }
            double criaMedian = median(criaSeconds);
            double torchMedian = median(torchSeconds);
            table.append(String.format(Locale.ROOT, "| %s | %d×%d×%d | %d | %.3f | %.1f | %.3f | %.1f | %.2f | %.1f | %.1f |%n",
                    p.name, p.m, p.n, p.k, threads, criaMedian * 1e3, p.flops() / criaMedian * 1e-9,
                    torchMedian * 1e3, p.flops() / torchMedian * 1e-9, torchMedian / criaMedian,
                    p.flops() / median(criaCpu) * 1e-9, p.flops() / median(torchCpu) * 1e-9));
        }
    }

    /** Both are float32 sums of k products in different orders: they agree to about k·2⁻²⁴ of the terms' size. */
    private static void assertAgree(Product p, float[] ours, float[] theirs) {
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < ours.length; i++) {
            scale = Math.max(scale, Math.abs(theirs[i]));
            worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
        }
        assertTrue(worst <= 1e-4 * scale, p.name + ": Cria and libtorch differ by " + worst + " (scale " + scale + ")");
    }

    /** Stores seconds per call, by the wall clock and by this process's CPU time divided among the threads. */
    private static void time(Runnable body, int reps, double[] wall, int slot, double[] cpuPerThread) {
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            body.run();
        }
        wall[slot] = (System.nanoTime() - t0) * 1e-9 / reps;
        cpuPerThread[slot] = (processCpuNanos() - c0) * 1e-9 / reps / JniUtils.getNumThreads();
    }

    /**
     * Nanoseconds on a CPU summed over this process's threads, from the scheduler ({@code /proc/self/task/N/schedstat},
     * first field): unlike the wall clock it does not count the time other processes on this shared machine take.
     * libtorch's OpenMP workers spin while they wait, so with 2 threads its figure includes waiting; Cria's pool blocks.
     */
    private static long processCpuNanos() {
        long sum = 0;
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (var task : (Iterable<java.nio.file.Path>) tasks::iterator) {
                try {
                    String stat = java.nio.file.Files.readString(task.resolve("schedstat"));
                    sum += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
                } catch (java.io.IOException | RuntimeException gone) {
                    // A thread that ended between the listing and the read contributes nothing more.
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return sum;
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static float[] random(int len, SplittableRandom rnd) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = (float) (rnd.nextDouble() - 0.5);
        }
        return x;
    }
}
