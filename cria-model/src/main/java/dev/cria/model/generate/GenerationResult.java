package dev.cria.model.generate;

/**
 * The outcome of one generation.
 *
 * @param text the text shown (what the listener received), without the prompt or a stop string
 * @param tokens the generated tokens (without the prompt, without an end-of-sequence token)
 * @param stopReason why it ended
 * @param stats timings
 */
public record GenerationResult(String text, int[] tokens, StopReason stopReason, GenerationStats stats) {
}
