package dev.cria.model;

import dev.cria.tensor.Parallel;
import java.util.Objects;

/**
 * The LLaMA forward pass (Touvron et al. 2023, §2.2; the same block for LLaMA 1, 2 and 3): pre-norm RMSNorm,
 * rotary embeddings, grouped-query causal attention with a key/value cache, a SwiGLU feed-forward block, residual
 * connections, a final RMSNorm and the output projection to logits.
 *
 * <p>Two entry points share one {@link SequenceState}: {@link #prefill} feeds many tokens as a batch (matrix-matrix
 * products; a prompt) and {@link #decode} feeds one (matrix-vector products; generation). Both give the same logits
 * up to float rounding. The work of each product is spread over the threads of the {@link Parallel} given here,
 * and so is attention (over heads).
 *
 * <p>A transformer is immutable and may serve many states; each state is used by one thread at a time, and calls
 * that share one {@link Parallel} must not overlap (serve concurrent sequences with one transformer per Parallel).
 */
public final class Transformer {
    /** Tokens per prefill batch unless the state asks otherwise (llama.cpp's default micro-batch). */
    public static final int DEFAULT_BATCH = 512;

    private final LlamaModel model;
    private final LlamaConfig config;
    private final Parallel parallel;
    private final RotaryEmbedding rope;

    public Transformer(LlamaModel model, Parallel parallel) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = model.config();
        this.parallel = Objects.requireNonNull(parallel, "parallel");
        this.rope = new RotaryEmbedding(config, model.weights().ropeFrequencyFactors());
    }

    public LlamaModel model() {
        return model;
    }

    public LlamaConfig config() {
        return config;
    }

    public Parallel parallel() {
        return parallel;
    }

    RotaryEmbedding rope() {
        return rope;
    }

    /**
     * A state with the model's full training context. That can be large (Llama 3.1: 131072 positions, gigabytes of
     * cache); {@link #newState(int)} takes a shorter one.
     */
    public SequenceState newState() {
        return newState(config.contextLength());
    }

    /** A state of {@code contextLength} positions (may differ from the model's training context). */
    public SequenceState newState(int contextLength) {
        return newState(contextLength, DEFAULT_BATCH);
    }

    /** A state of {@code contextLength} positions whose prefill processes up to {@code maxBatch} tokens per batch. */
    public SequenceState newState(int contextLength, int maxBatch) {
        return new SequenceState(this, contextLength, maxBatch);
    }

    /**
     * Feeds {@code token} at {@code state.position()} and advances it.
     *
     * @return the logits for the next token ({@code state.logits()}, overwritten by the next call)
     * @throws IllegalStateException when the context is full
     * @throws IllegalArgumentException when the token is not in the vocabulary
     */
    public float[] decode(SequenceState state, int token) {
        checkState(state);
        checkRoom(state, 1);
        checkToken(token);
        state.decode.run(token);
        return state.logits;
    }

    /** {@link #prefill(SequenceState, int[], int, int)} of the whole array. */
    public float[] prefill(SequenceState state, int[] tokens) {
        return prefill(state, tokens, 0, tokens.length);
    }

    /**
     * Feeds {@code tokens[offset, offset+length)} at {@code state.position()} in batches of at most
     * {@code state.maxBatch()} tokens and advances the state by {@code length}.
     *
     * @return the logits after the last token ({@code state.logits()})
     */
    public float[] prefill(SequenceState state, int[] tokens, int offset, int length) {
        feed(state, tokens, offset, length, null, 0);
        return state.logits;
    }

    /**
     * Like {@link #prefill(SequenceState, int[], int, int)}, but writes the logits after every token:
     * {@code logits[logitsOffset + t·vocab + j]} for token {@code t} of the batch (scoring text, perplexity).
     */
    public void prefillAll(SequenceState state, int[] tokens, int offset, int length, float[] logits, int logitsOffset) {
        long needed = (long) length * config.vocabSize();
        if (logitsOffset < 0 || logitsOffset + needed > logits.length) {
            throw new IllegalArgumentException("logits array of " + logits.length + " floats cannot hold " + length + " rows of "
                    + config.vocabSize() + " at offset " + logitsOffset);
        }
        feed(state, tokens, offset, length, logits, logitsOffset);
    }

    private void feed(SequenceState state, int[] tokens, int offset, int length, float[] allLogits, int logitsOffset) {
        checkState(state);
        Objects.checkFromIndexSize(offset, length, tokens.length);
        if (length == 0) {
            throw new IllegalArgumentException("nothing to prefill: no tokens");
        }
        checkRoom(state, length);
        for (int i = offset; i < offset + length; i++) {
            checkToken(tokens[i]);
        }
        if (state.prefill == null) {
            state.prefill = new PrefillStep(this, state);
        }
        for (int done = 0; done < length; ) {
            int n = Math.min(state.maxBatch, length - done);
            state.prefill.run(tokens, offset + done, n);
            if (allLogits != null) {
                state.prefill.everyLogits(n, allLogits, logitsOffset + done * config.vocabSize());
            } else if (done + n == length) {
                state.prefill.lastLogits(n);
            }
            done += n;
        }
    }

    private void checkState(SequenceState state) {
        if (state.owner != this) {
            throw new IllegalArgumentException("the state belongs to another transformer");
        }
    }

    private static void checkRoom(SequenceState state, int tokens) {
        if (state.position + tokens > state.contextLength) {
            throw new IllegalStateException("context full: " + state.position + " tokens held + " + tokens + " more exceed the context of "
                    + state.contextLength);
        }
    }

    private void checkToken(int token) {
        if (token < 0 || token >= config.vocabSize()) {
            throw new IllegalArgumentException("token id " + token + " is outside the vocabulary [0, " + config.vocabSize() + ")");
        }
    }
}
