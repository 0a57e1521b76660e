package dev.cria.model.generate;

/**
 * Timings of one generation, as llama.cpp reports them: prompt processing (prefill) and generation (decode, one
 * forward pass per token after the first, sampling included).
 *
 * @param promptTokens tokens prefilled
 * @param prefillNanos time of the prefill
 * @param decodedTokens forward passes of generated tokens
 * @param decodeNanos time of those passes and of sampling every generated token
 */
public record GenerationStats(int promptTokens, long prefillNanos, int decodedTokens, long decodeNanos) {

    public double prefillTokensPerSecond() {
        return rate(promptTokens, prefillNanos);
    }

    public double decodeTokensPerSecond() {
        return rate(decodedTokens, decodeNanos);
    }

    private static double rate(int tokens, long nanos) {
        return nanos <= 0 ? 0 : tokens * 1e9 / nanos;
    }

    /** One line for stderr: {@code prefill: 12 tokens in 3.1 ms (3870.9 tok/s), decode: ...}. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "prefill: %d tokens in %.1f ms (%.1f tok/s), decode: %d tokens in %.1f ms (%.1f tok/s)",
                promptTokens, prefillNanos / 1e6, prefillTokensPerSecond(), decodedTokens, decodeNanos / 1e6, decodeTokensPerSecond());
    }
}
