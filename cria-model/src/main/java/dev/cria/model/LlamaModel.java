package dev.cria.model;

import dev.cria.tokenizer.Tokenizer;

/**
 * A loaded model: its shape, weights, tokenizer (when the file carries one) and chat template (when known).
 * Loaders produce it; the forward pass and the commands consume it.
 *
 * <p>Weights are usually slices of a memory-mapped file: {@code storage} owns that mapping, and {@link #close()}
 * releases it. The weights must not be used after the model is closed.
 *
 * @param config the shape and constants
 * @param weights the weights, checked against the shape
 * @param tokenizer the tokenizer stored with the weights, or null; it may not have more tokens than the model embeds
 * @param chatTemplate the Jinja chat template from the file's metadata, or null
 * @param source where it was loaded from (for messages)
 * @param storage what keeps the weights' memory alive (a mapped file), or null when they live on the heap
 */
public record LlamaModel(LlamaConfig config, LlamaWeights weights, Tokenizer tokenizer, String chatTemplate, String source,
                         AutoCloseable storage) implements AutoCloseable {
    public LlamaModel {
        weights.check(config);
        if (tokenizer != null && tokenizer.vocabSize() > config.vocabSize()) {
            throw new IllegalArgumentException(source + ": the tokenizer has " + tokenizer.vocabSize() + " tokens, more than the model's vocabulary of "
                    + config.vocabSize() + " (it cannot embed the others)");
        }
    }

    /** A model whose weights live on the heap (nothing to release). */
    public LlamaModel(LlamaConfig config, LlamaWeights weights, Tokenizer tokenizer, String chatTemplate, String source) {
        this(config, weights, tokenizer, chatTemplate, source, null);
    }

    /** The same model with another tokenizer (e.g. a llama2.c {@code tokenizer.bin} given beside the weights). */
    public LlamaModel withTokenizer(Tokenizer other) {
        return new LlamaModel(config, weights, other, chatTemplate, source, storage);
    }

    /** Releases the storage (unmaps the file). Closing again does nothing. */
    @Override
    public void close() {
        if (storage == null) {
            return;
        }
        try {
            storage.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(source + ": closing failed: " + e.getMessage(), e);
        }
    }
}
