package dev.cria.train.model;

import java.util.Locale;

/**
 * What a model keeps from its forward pass for the backward, and what it recomputes (the {@code --checkpoint} option).
 * {@code docs/backward.md} gives each one's activation memory as a formula and as measured.
 */
public enum CheckpointPolicy {
    /** Keep every activation the backward reads; recompute nothing. */
    NONE,
    /**
     * LLaMA §2.4's: keep what is expensive to compute, the outputs of the linear layers (q, k, v, gate, up) and of
     * attention (its output and per-row log-sum-exp); recompute the RMSNorms, the rotary embeddings and the SwiGLU
     * gate in the backward. Attention's scores and probabilities are never stored under any policy.
     */
    SELECTIVE,
    /** Keep only each block's input; run the block's forward again just before its backward. */
    FULL,
    /**
     * A different architecture with reversible residual coupling ({@code y1 = x1 + Attention(x2)},
     * {@code y2 = x2 + FeedForward(y1)}); the backward reconstructs each block's inputs from its outputs, so no block
     * activations are kept. See {@link ReversibleLlamaTrainer}.
     */
    REVERSIBLE;

    /** The option's spelling: {@code none}, {@code selective}, {@code full}, {@code reversible}. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code none | selective | full | reversible}; anything else is an error that lists them. */
    public static CheckpointPolicy parse(String text) {
        for (CheckpointPolicy p : values()) {
            if (p.optionName().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown checkpoint policy '" + text + "': expected none, selective, full or reversible");
    }
}
