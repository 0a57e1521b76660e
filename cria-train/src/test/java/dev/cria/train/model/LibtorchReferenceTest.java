package dev.cria.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.cria.model.LlamaConfig;
import dev.cria.tensor.Parallel;
import dev.cria.train.ParameterTensor;
import dev.cria.train.Parameters;
import dev.cria.train.TrainableModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole model against the same model in libtorch (through DJL), whose autograd gives the reference gradients.
 * Both sides compute in float32, in different orders, so they agree to rounding: the loss to a relative 1e-5, and
 * every element of every parameter's gradient to 1e-4 of that tensor's largest reference gradient.
 */
class LibtorchReferenceTest {
    static final double LOSS_TOLERANCE = 1e-5;
    static final double GRADIENT_TOLERANCE = 1e-4;

    private static NDManager manager;
    private static Parallel parallel;

    @BeforeAll
    static void start() {
        // One libtorch thread: the tensors are tiny, and the machine is shared with the build.
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        manager = Engine.getEngine("PyTorch").newBaseManager();
        parallel = new Parallel(2);
    }

    @AfterAll
    static void stop() {
        manager.close();
        parallel.close();
    }

    @ParameterizedTest
    @EnumSource(CheckpointPolicy.class)
    void lossAndEveryGradientMatchLibtorch(CheckpointPolicy policy) {
        check(ModelFixtures.config(false), policy);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "reversible"})
    void tiedEmbeddingsGetBothGradients(String policy) {
        check(ModelFixtures.config(true), CheckpointPolicy.parse(policy));
    }

    /**
     * Ten AdamW steps on one batch (β = (0.9, 0.95), ε = 1e-8, decoupled weight decay 0.1 on the decayed tensors,
     * lr 3e-3, gradient of the mean loss), the update written once in Java for our parameters and once with libtorch
     * tensor ops for libtorch's; the first step's loss agrees to a relative 1e-4 and the next nine to 1e-2 (llm.c's
     * tolerance for the same check) while the loss falls. Adam divides each gradient by its own magnitude, so for
     * weights whose gradient is near zero a difference at the level of float rounding becomes a step of up to lr:
     * the two trajectories drift apart slowly, and how fast depends on libtorch's summation order.
     */
    @ParameterizedTest
    @ValueSource(strings = {"selective", "reversible"})
    void tenAdamWStepsTrackLibtorch(String policyName) {
        CheckpointPolicy policy = CheckpointPolicy.parse(policyName);
        LlamaConfig config = ModelFixtures.config(false);
        int[] inputs = ModelFixtures.tokens(31, config.vocabSize());
        int[] targets = ModelFixtures.tokens(32, config.vocabSize());
        int tokens = inputs.length;
        double lr = 3e-3, beta1 = 0.9, beta2 = 0.95, eps = 1e-8, decay = 0.1;
        try (TrainableModel model = TrainableModels.create(config, policy, parallel, 9); NDManager scope = manager.newSubManager()) {
            Parameters p = model.parameters();
            TorchLlama torch = new TorchLlama(config, scope, p);
            float[] m = new float[p.count()];
            float[] v = new float[p.count()];
            java.util.Map<String, NDArray[]> moments = new java.util.HashMap<>();
            double first = 0;
            double last = 0;
            for (int step = 1; step <= 10; step++) {
                p.zeroGrads();
                double loss = model.forwardBackward(inputs, targets, ModelFixtures.BATCH, ModelFixtures.SEQ) / tokens;
                double torchLoss;
                try (GradientCollector gc = scope.getEngine().newGradientCollector()) {
                    NDArray l = torch.loss(inputs, targets, ModelFixtures.BATCH, ModelFixtures.SEQ, policy == CheckpointPolicy.REVERSIBLE).div(tokens);
                    torchLoss = l.getFloat();
                    gc.backward(l);
                }
                assertEquals(torchLoss, loss, (step == 1 ? 1e-4 : 1e-2) * torchLoss, "step " + step);
                first = step == 1 ? loss : first;
                last = loss;
                double c1 = 1 - Math.pow(beta1, step);
                double c2 = 1 - Math.pow(beta2, step);
                for (ParameterTensor t : p.tensors()) {
                    float keep = (float) (1 - (t.decayed() ? lr * decay : 0));
                    for (int i = (int) t.offset(); i < t.offset() + t.size(); i++) {
                        float g = p.grads()[i] / tokens;
                        m[i] = (float) (beta1 * m[i] + (1 - beta1) * g);
                        v[i] = (float) (beta2 * v[i] + (1 - beta2) * g * g);
                        p.values()[i] = (float) (p.values()[i] * keep - lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps));
                    }
                    NDArray w = torch.weights.get(t.name());
                    NDArray g = w.getGradient();
                    NDArray[] mv = moments.computeIfAbsent(t.name(), k -> new NDArray[] {g.zerosLike(), g.zerosLike()});
                    mv[0] = mv[0].mul(beta1).add(g.mul(1 - beta1));
                    mv[1] = mv[1].mul(beta2).add(g.square().mul(1 - beta2));
                    NDArray update = mv[0].div(c1).div(mv[1].div(c2).sqrt().add(eps)).mul(lr);
                    NDArray next = w.mul(keep).sub(update);
                    next.setRequiresGradient(true);
                    torch.weights.put(t.name(), next);
                }
            }
            assertTrue(last < first - 0.5, "the loss falls: " + first + " -> " + last);
            System.out.printf("AdamW %s: loss %.4f -> %.4f over 10 steps, tracking libtorch%n", policy.optionName(), first, last);
        }
    }

    private void check(LlamaConfig config, CheckpointPolicy policy) {
        int[] inputs = ModelFixtures.tokens(11, config.vocabSize());
        int[] targets = ModelFixtures.tokens(12, config.vocabSize());
        try (TrainableModel model = TrainableModels.create(config, policy, parallel, 5); NDManager scope = manager.newSubManager()) {
            Parameters p = model.parameters();
            ModelFixtures.spread(p, 6);
            double loss = model.forwardBackward(inputs, targets, ModelFixtures.BATCH, ModelFixtures.SEQ);

            TorchLlama torch = new TorchLlama(config, scope, p);
            double torchLoss;
            try (GradientCollector gc = scope.getEngine().newGradientCollector()) {
                NDArray l = torch.loss(inputs, targets, ModelFixtures.BATCH, ModelFixtures.SEQ, policy == CheckpointPolicy.REVERSIBLE);
                torchLoss = l.getFloat();
                gc.backward(l);
            }
            assertEquals(torchLoss, loss, LOSS_TOLERANCE * Math.abs(torchLoss), policy + " loss");
            assertEquals(torchLoss, model.loss(inputs, targets, ModelFixtures.BATCH, ModelFixtures.SEQ),
                    LOSS_TOLERANCE * Math.abs(torchLoss), policy + " validation loss");
            double worst = 0;
            String worstName = "";
            for (ParameterTensor t : p.tensors()) {
                float[] ref = torch.weights.get(t.name()).getGradient().toFloatArray();
                double scale = 0;
                double err = 0;
                for (int i = 0; i < ref.length; i++) {
                    scale = Math.max(scale, Math.abs(ref[i]));
                    err = Math.max(err, Math.abs(ref[i] - p.grads()[(int) t.offset() + i]));
                }
                assertTrue(scale > 0, t.name() + " has a zero reference gradient");
                if (err / scale > worst) {
                    worst = err / scale;
                    worstName = t.name();
                }
                assertTrue(err <= GRADIENT_TOLERANCE * scale,
                        policy + " " + t.name() + ": max error " + err + " against largest gradient " + scale);
            }
            System.out.printf("%s tied=%s: loss %.6f vs libtorch %.6f, worst gradient error %.2e of max (%s)%n",
                    policy.optionName(), config.tiedEmbeddings(), loss, torchLoss, worst, worstName);
        }
    }
}
