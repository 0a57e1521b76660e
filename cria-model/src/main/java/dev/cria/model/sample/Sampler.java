package dev.cria.model.sample;

/**
 * Picks the next token from a row of logits. Samplers keep scratch buffers and a random generator, so each
 * sequence uses its own and from one thread at a time.
 */
public interface Sampler {

    /** The chosen token id; {@code logits} is read, never modified. */
    int sample(float[] logits);

    /** The sampler {@code settings} describe: greedy when the temperature is 0, otherwise {@link StochasticSampler}. */
    static Sampler of(SamplerSettings settings, int vocabSize) {
        return settings.isGreedy() ? new GreedySampler() : new StochasticSampler(settings, vocabSize);
    }
}
