package dev.cria.model.generate;

import dev.cria.model.sample.SamplerSettings;
import java.util.List;
import java.util.Objects;

/**
 * What to generate.
 *
 * @param maxTokens the most tokens to generate (0: only process the prompt)
 * @param stopStrings generation ends when the text contains one of these (it is not shown)
 * @param sampling how to choose each token
 * @param contextLength positions of the sequence's cache; 0 means the model's context, capped at
 *     {@link #DEFAULT_CONTEXT_CAP} so that a model trained on long contexts does not allocate a huge cache by default
 */
public record GenerationOptions(int maxTokens, List<String> stopStrings, SamplerSettings sampling, int contextLength) {
    public static final int DEFAULT_CONTEXT_CAP = 4096;

    public GenerationOptions {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("max tokens must be >= 0, got " + maxTokens);
        }
        if (contextLength < 0) {
            throw new IllegalArgumentException("context length must be >= 0 (0 = the model's), got " + contextLength);
        }
        stopStrings = List.copyOf(stopStrings);
        Objects.requireNonNull(sampling, "sampling");
    }

    /** Greedy decoding of up to {@code maxTokens} tokens, no stop strings, the default context. */
    public static GenerationOptions greedy(int maxTokens) {
        return new GenerationOptions(maxTokens, List.of(), SamplerSettings.greedy(), 0);
    }

    public GenerationOptions withSampling(SamplerSettings other) {
        return new GenerationOptions(maxTokens, stopStrings, other, contextLength);
    }

    public GenerationOptions withStopStrings(List<String> other) {
        return new GenerationOptions(maxTokens, other, sampling, contextLength);
    }

    public GenerationOptions withContextLength(int other) {
        return new GenerationOptions(maxTokens, stopStrings, sampling, other);
    }

    public GenerationOptions withMaxTokens(int other) {
        return new GenerationOptions(other, stopStrings, sampling, contextLength);
    }

    /** The context a new sequence gets for a model trained on {@code modelContext} positions. */
    public int contextFor(int modelContext) {
        return contextLength > 0 ? contextLength : Math.min(modelContext, DEFAULT_CONTEXT_CAP);
    }
}
