package dev.cria.model.generate;

import dev.cria.model.SequenceState;
import dev.cria.model.Transformer;
import dev.cria.tokenizer.Tokenizer;
import java.util.function.IntConsumer;

/**
 * Perplexity as llama.cpp's {@code llama-perplexity} computes it (its default mode, no stride):
 * <ol>
 *   <li>tokenize the whole text, with BOS in front when the tokenizer has one;</li>
 *   <li>cut the tokens into {@code floor(N / n_ctx)} chunks of {@code n_ctx} tokens (the tail is dropped; at least
 *       two chunks are required, i.e. {@code N >= 2·n_ctx});</li>
 *   <li>evaluate each chunk from an empty cache at positions {@code 0..n_ctx-1}, with its first token replaced by BOS
 *       (replaced, not prepended: the chunk stays {@code n_ctx} long);</li>
 *   <li>score only the second half, so that every scored token has at least {@code n_ctx/2} tokens of context: with
 *       {@code first = n_ctx/2}, the logits at positions {@code j = first .. n_ctx-2} score the token at {@code j+1},
 *       {@code n_ctx - first - 1} tokens per chunk, each with {@code NLL = log Σ exp(l) - l[token]} in double
 *       precision;</li>
 *   <li>the result is {@code exp} of the mean NLL over all scored tokens of all chunks (not a mean of per-chunk
 *       perplexities); after each chunk the running value over the chunks so far is reported.</li>
 * </ol>
 */
public final class Perplexity {
    private Perplexity() {
    }

    /**
     * @param contextLength {@code n_ctx}, tokens per chunk (llama-perplexity's default is 512)
     * @param batchSize tokens per prefill batch (does not change the result)
     * @param onChunk told the index of each chunk once it is scored (progress), or null
     * @throws IllegalArgumentException when the text has fewer than {@code 2·n_ctx} tokens
     */
    public static PerplexityResult evaluate(Transformer transformer, Tokenizer tokenizer, String text, int contextLength, int batchSize,
                                            IntConsumer onChunk) {
        if (contextLength < 4) {
            throw new IllegalArgumentException("context length must be at least 4 for perplexity, got " + contextLength);
        }
        int bos = tokenizer.bosId();
        int[] body = tokenizer.encode(text);
        int[] tokens;
        if (bos >= 0) {
            tokens = new int[body.length + 1];
            tokens[0] = bos;
            System.arraycopy(body, 0, tokens, 1, body.length);
        } else {
            tokens = body;
        }
        if (tokens.length < 2 * contextLength) {
            throw new IllegalArgumentException("perplexity with a context of " + contextLength + " needs at least " + 2 * contextLength
                    + " tokens; the text has " + tokens.length);
        }
        int vocab = transformer.config().vocabSize();
        int chunks = tokens.length / contextLength;
        int first = contextLength / 2;
        int scoredPerChunk = contextLength - first - 1;
        SequenceState state = transformer.newState(contextLength, batchSize);
        int[] chunk = new int[contextLength];
        float[] logits = new float[Math.multiplyExact(contextLength - first, vocab)];
        double nll = 0;
        double nll2 = 0;
        int count = 0;
        double[] running = new double[chunks];
        for (int c = 0; c < chunks; c++) {
            System.arraycopy(tokens, c * contextLength, chunk, 0, contextLength);
            if (bos >= 0) {
                chunk[0] = bos;
            }
            state.reset();
            transformer.prefill(state, chunk, 0, first);
            transformer.prefillAll(state, chunk, first, contextLength - first, logits, 0);
            for (int j = first; j < contextLength - 1; j++) {
                double v = negativeLogLikelihood(logits, (j - first) * vocab, vocab, chunk[j + 1]);
                nll += v;
                nll2 += v * v;
            }
            count += scoredPerChunk;
            running[c] = Math.exp(nll / count);
            if (onChunk != null) {
                onChunk.accept(c);
            }
        }
        double mean = nll / count;
        double variance = nll2 / count - mean * mean;
        double ppl = Math.exp(mean);
        double uncertainty = variance > 0 ? ppl * Math.sqrt(variance / (count - 1)) : 0;
        return new PerplexityResult(ppl, uncertainty, chunks, contextLength, count, running);
    }

    /** {@code -log softmax(l)[token] = max + log Σ exp(l - max) - l[token]}. */
    static double negativeLogLikelihood(float[] logits, int off, int vocab, int token) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[off + i] - max);
        }
        return max + Math.log(sum) - logits[off + token];
    }
}
