package dev.cria.model.generate;

/**
 * Perplexity of a text, by llama-perplexity's method ({@link Perplexity}).
 *
 * @param perplexity {@code exp(mean NLL)} over every scored token of every chunk
 * @param uncertainty llama-perplexity's "±": {@code perplexity · sqrt((mean(NLL²) - mean(NLL)²) / (count - 1))}
 * @param chunks chunks evaluated
 * @param contextLength tokens per chunk
 * @param scoredTokens tokens whose probability was scored ({@code chunks · (contextLength - contextLength/2 - 1)})
 * @param runningPerplexity after chunk {@code i}, the perplexity of chunks {@code 0..i} (llama-perplexity's {@code [i]x} output)
 */
public record PerplexityResult(double perplexity, double uncertainty, int chunks, int contextLength, int scoredTokens,
                               double[] runningPerplexity) {

    /** llama-perplexity's last line: {@code Final estimate: PPL = 12.3456 +/- 0.12345}. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "Final estimate: PPL = %.4f +/- %.5f", perplexity, uncertainty);
    }
}
