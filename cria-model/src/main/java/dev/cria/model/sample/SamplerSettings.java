package dev.cria.model.sample;

/**
 * How to choose each next token.
 *
 * @param temperature 0 for greedy decoding; otherwise logits are divided by it before the softmax (below 1
 *     sharpens the distribution, above 1 flattens it)
 * @param topK keep only the {@code topK} most likely tokens; 0 (or at least the vocabulary size) keeps all
 * @param topP nucleus sampling: keep the smallest set of most likely tokens whose probability exceeds
 *     {@code topP}; 1 keeps all
 * @param seed the random generator's seed: the same seed, settings and logits give the same tokens
 */
public record SamplerSettings(float temperature, int topK, float topP, long seed) {

    public SamplerSettings {
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1] (1 = off), got " + topP);
        }
    }

    /** Greedy decoding: always the most likely token. */
    public static SamplerSettings greedy() {
        return new SamplerSettings(0f, 0, 1f, 0L);
    }

    public boolean isGreedy() {
        return temperature == 0f;
    }
}
