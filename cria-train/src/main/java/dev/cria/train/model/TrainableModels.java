package dev.cria.train.model;

import dev.cria.model.LlamaConfig;
import dev.cria.tensor.Parallel;
import dev.cria.train.TrainableModel;

/** Builds the trainable LLaMA model for a checkpoint policy. */
public final class TrainableModels {
    private TrainableModels() {
    }

    /**
     * A model of shape {@code config} with fresh parameters (matrices from N(0, 0.02²) drawn with {@code seed}, RMSNorm
     * gains 1). The model uses {@code parallel} but does not own it. Parameters are laid out by {@link ParameterLayout}:
     * Hugging Face names, rotate-half order of the query and key rows, no {@code lm_head.weight} when embeddings are tied.
     */
    public static TrainableModel create(LlamaConfig config, CheckpointPolicy policy, Parallel parallel, long seed) {
        ParameterLayout layout = new ParameterLayout(config);
        var parameters = layout.initialize(seed);
        return policy == CheckpointPolicy.REVERSIBLE
                ? new ReversibleLlamaTrainer(config, parallel, layout, parameters)
                : new LlamaTrainer(config, policy, parallel, layout, parameters);
    }
}
