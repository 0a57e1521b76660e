package dev.cria.model;

import dev.cria.tokenizer.Tokenizer;

/**
 * A loaded model: its shape, weights, tokenizer (when the file carries one) and chat template (when known).
 * Loaders produce it; the forward pass and the commands consume it.
 *
 * @param config the shape and constants
 * @param weights the weights, checked against the shape
 * @param tokenizer the tokenizer stored with the weights, or null
 * @param chatTemplate the Jinja chat template from the file's metadata, or null
 * @param source where it was loaded from (for messages)
 */
public record LlamaModel(LlamaConfig config, LlamaWeights weights, Tokenizer tokenizer, String chatTemplate, String source) {
    public LlamaModel {
        weights.check(config);
    }
}
