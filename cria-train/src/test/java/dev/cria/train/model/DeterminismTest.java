package dev.cria.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cria.model.LlamaConfig;
import dev.cria.tensor.Parallel;
import dev.cria.train.TrainableModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Thread counts and recomputation change nothing, to the bit. */
class DeterminismTest {
    private static final LlamaConfig CONFIG = ModelFixtures.config(false);
    private static final int[] INPUTS = ModelFixtures.tokens(21, CONFIG.vocabSize());
    private static final int[] TARGETS = ModelFixtures.tokens(22, CONFIG.vocabSize());

    private record Result(double loss, float[] grads) {
    }

    private static Result run(CheckpointPolicy policy, int threads) {
        try (Parallel parallel = new Parallel(threads); TrainableModel model = TrainableModels.create(CONFIG, policy, parallel, 3)) {
            ModelFixtures.spread(model.parameters(), 4);
            double loss = model.forwardBackward(INPUTS, TARGETS, ModelFixtures.BATCH, ModelFixtures.SEQ);
            return new Result(loss, model.parameters().grads().clone());
        }
    }

    @ParameterizedTest
    @EnumSource(CheckpointPolicy.class)
    void oneTwoAndThreeThreadsGiveBitIdenticalLossAndGradients(CheckpointPolicy policy) {
        Result one = run(policy, 1);
        for (int threads = 2; threads <= 3; threads++) {
            Result other = run(policy, threads);
            assertEquals(one.loss, other.loss, 0, threads + " threads: loss");
            assertArrayEquals(one.grads, other.grads, threads + " threads: gradients");
        }
    }

    @Test
    void noneSelectiveAndFullComputeTheSameGradientsBitForBit() {
        Result none = run(CheckpointPolicy.NONE, 2);
        for (CheckpointPolicy policy : new CheckpointPolicy[] {CheckpointPolicy.SELECTIVE, CheckpointPolicy.FULL}) {
            Result other = run(policy, 2);
            assertEquals(none.loss, other.loss, 0, policy + " loss");
            assertArrayEquals(none.grads, other.grads, policy + " gradients");
        }
    }

    @Test
    void repeatedCallsAccumulateGradients() {
        try (Parallel parallel = new Parallel(2); TrainableModel model = TrainableModels.create(CONFIG, CheckpointPolicy.SELECTIVE, parallel, 3)) {
            ModelFixtures.spread(model.parameters(), 4);
            double first = model.forwardBackward(INPUTS, TARGETS, ModelFixtures.BATCH, ModelFixtures.SEQ);
            float[] once = model.parameters().grads().clone();
            double second = model.forwardBackward(INPUTS, TARGETS, ModelFixtures.BATCH, ModelFixtures.SEQ);
            assertEquals(first, second, 0);
            float[] twice = model.parameters().grads();
            double scale = 0;
            for (float g : once) {
                scale = Math.max(scale, Math.abs(g));
            }
            // Adding into a non-zero buffer rounds each partial sum at a different magnitude: equal up to rounding.
            for (int i = 0; i < once.length; i++) {
                assertEquals(2 * once[i], twice[i], 1e-5 * scale, "gradient " + i);
            }
        }
    }
}
