package dev.cria.train.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.cria.model.LlamaConfig;
import dev.cria.tensor.Parallel;
import dev.cria.train.TrainableModel;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Forward-backward time and kept activation memory per policy on the stories15M shape (dim 288, 6 layers, 6 heads,
 * hidden 768, vocabulary 32000, tied embeddings, batch 8 × 256 tokens); medians of {@code cria.bench.steps} steps
 * (default 3) after one warm-up step, as wall time and as CPU time of the whole process (the honest figure on a
 * shared machine: CPU seconds per step divided by the threads is the wall time the step would take with the cores to
 * itself). With {@code -Dcria.bench.libtorch=true} the same forward and backward in libtorch (the test's
 * {@link TorchLlama}, full logits and masked softmax as PyTorch code would write it) runs first with the first thread
 * count of {@code cria.bench.threads}, alternating step by step with Cria's {@code none}; {@code -Dcria.bench.shape=small}
 * switches to the small shape. Results go to docs/backward.md. Run:
 * {@code mvn -o -pl cria-train test -Dtest=StepTimeBenchmarkTest -Dcria.excludedGroups=none [-Dcria.bench.threads=1,2]}.
 */
@Tag("benchmark")
class StepTimeBenchmarkTest {
    /** {@code -Dcria.bench.shape=small}: the smaller shape (dim 128, 4 layers, 4 heads, hidden 384, vocab 4096, seq 128). */
    private static final boolean SMALL = "small".equals(System.getProperty("cria.bench.shape"));
    private static final LlamaConfig CONFIG = SMALL
            ? new LlamaConfig(128, 384, 4, 4, 4, 4096, 128, 1e-5f, 10000f, null, true)
            : new LlamaConfig(288, 768, 6, 6, 6, 32000, 256, 1e-5f, 10000f, null, true);
    private static final int BATCH = 8;
    private static final int SEQ = SMALL ? 128 : 256;

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** Median wall and CPU seconds of {@code steps} runs after one warm-up. */
    private static double[] time(int steps, DoubleSupplier step, boolean warmUp) {
        if (warmUp) {
            step.getAsDouble();
        }
        double[] wall = new double[steps];
        double[] cpu = new double[steps];
        for (int s = 0; s < steps; s++) {
            double c0 = processCpuSeconds();
            long t0 = System.nanoTime();
            step.getAsDouble();
            wall[s] = (System.nanoTime() - t0) / 1e9;
            cpu[s] = processCpuSeconds() - c0;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new double[] {wall[steps / 2], cpu[steps / 2]};
    }

    @Test
    void stepTimePerPolicyOnTheStories15MShape() {
        int steps = Integer.getInteger("cria.bench.steps", 3);
        String only = System.getProperty("cria.bench.policies", "none,selective,full,reversible");
        int[] threadCounts = Arrays.stream(System.getProperty("cria.bench.threads", "1,2").split(",")).mapToInt(t -> Integer.parseInt(t.trim())).toArray();
        Random random = new Random(1);
        int[] inputs = new int[BATCH * SEQ];
        int[] targets = new int[BATCH * SEQ];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = random.nextInt(CONFIG.vocabSize());
            targets[i] = random.nextInt(CONFIG.vocabSize());
        }
        int tokens = BATCH * SEQ;
        System.out.println("peer        threads  wall_s  cpu_s  tokens/s(wall)  tokens/s(cpu/threads)  kept_MiB  workspace_MiB");
        if (Boolean.getBoolean("cria.bench.libtorch")) {
            // libtorch and Cria (policy none) alternate step by step, so that both see the same load on a shared machine.
            int threads = threadCounts[0];
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager(); Parallel parallel = new Parallel(threads);
                 TrainableModel model = TrainableModels.create(CONFIG, CheckpointPolicy.NONE, parallel, 1)) {
                var parameters = model.parameters();
                // Intermediate tensors belong to the weights' manager: a fresh one per step frees them all (copying
                // the 15 M weights in costs about 1 % of the step).
                DoubleSupplier torchStep = () -> {
                    try (NDManager scope = manager.newSubManager(); GradientCollector gc = manager.getEngine().newGradientCollector()) {
                        TorchLlama torch = new TorchLlama(CONFIG, scope, parameters);
                        NDArray loss = torch.loss(inputs, targets, BATCH, SEQ, false);
                        gc.backward(loss);
                        return loss.getFloat();
                    }
                };
                DoubleSupplier criaStep = () -> model.forwardBackward(inputs, targets, BATCH, SEQ);
                torchStep.getAsDouble();
                criaStep.getAsDouble();
                double[][] torch = new double[2][steps];
                double[][] cria = new double[2][steps];
                for (int s = 0; s < steps; s++) {
                    double[] t = time(1, torchStep, false);
                    torch[0][s] = t[0];
                    torch[1][s] = t[1];
                    double[] c = time(1, criaStep, false);
                    cria[0][s] = c[0];
                    cria[1][s] = c[1];
                }
                for (double[][] m : new double[][][] {torch, cria}) {
                    Arrays.sort(m[0]);
                    Arrays.sort(m[1]);
                }
                System.out.printf("libtorch    %7d  %6.2f  %5.2f  %14.0f  %21.0f%n", threads, torch[0][steps / 2], torch[1][steps / 2],
                        tokens / torch[0][steps / 2], tokens / (torch[1][steps / 2] / threads));
                System.out.printf("cria none   %7d  %6.2f  %5.2f  %14.0f  %21.0f   (interleaved with libtorch)%n", threads, cria[0][steps / 2],
                        cria[1][steps / 2], tokens / cria[0][steps / 2], tokens / (cria[1][steps / 2] / threads));
            }
        }
        for (int threads : threadCounts) {
            for (String name : only.split(",")) {
                CheckpointPolicy policy = CheckpointPolicy.parse(name);
                try (Parallel parallel = new Parallel(threads); TrainableModel model = TrainableModels.create(CONFIG, policy, parallel, 1)) {
                    double[] t = time(steps, () -> model.forwardBackward(inputs, targets, BATCH, SEQ), true);
                    long workspace = model instanceof LlamaTrainer m ? m.workspaceBytes() : ((ReversibleLlamaTrainer) model).workspaceBytes();
                    System.out.printf("%-11s %7d  %6.2f  %5.2f  %14.0f  %21.0f  %8.1f  %13.1f%n", policy.optionName(), threads, t[0], t[1],
                            tokens / t[0], tokens / (t[1] / threads), model.activationBytes() / 1048576.0, workspace / 1048576.0);
                }
            }
        }
    }
}
