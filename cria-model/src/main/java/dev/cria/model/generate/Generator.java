package dev.cria.model.generate;

import dev.cria.model.SequenceState;
import dev.cria.model.Transformer;
import dev.cria.model.sample.Sampler;
import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Text generation: the prompt is prefilled as one batch, then tokens are sampled and decoded one at a time, and
 * the text streams to a listener as soon as each character is complete (see {@link Utf8Stream}). Generation ends
 * at an end-of-sequence token (EOS, and Llama 3's {@code <|eot_id|>}/{@code <|eom_id|>}/{@code <|end_of_text|>}),
 * at a stop string, after the requested number of tokens, or when the context is full.
 */
public final class Generator {
    private static final String[] END_TOKENS = {"<|eot_id|>", "<|eom_id|>", "<|end_of_text|>"};

    private final Transformer transformer;
    private final Tokenizer tokenizer;
    private final TokenBytes tokenBytes;
    private final boolean[] endsSequence;

    public Generator(Transformer transformer, Tokenizer tokenizer) {
        this.transformer = Objects.requireNonNull(transformer, "transformer");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer (the model file has none: give one)");
        this.tokenBytes = new TokenBytes(tokenizer);
        this.endsSequence = new boolean[transformer.config().vocabSize()];
        if (tokenizer.eosId() >= 0) {
            endsSequence[tokenizer.eosId()] = true;
        }
        for (String name : END_TOKENS) {
            int id = tokenizer.pieceToId(name);
            if (id >= 0 && tokenizer.type(id) == TokenType.CONTROL) {
                endsSequence[id] = true;
            }
        }
    }

    public Transformer transformer() {
        return transformer;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Whether generation stops when the model produces {@code token}. */
    public boolean endsSequence(int token) {
        return endsSequence[token];
    }

    /** BOS (when the tokenizer has one) followed by the encoded prompt; an empty prompt is BOS alone. */
    public int[] promptTokens(String prompt) {
        int[] text = prompt.isEmpty() ? new int[0] : tokenizer.encode(prompt);
        if (tokenizer.bosId() < 0) {
            if (text.length == 0) {
                throw new IllegalArgumentException("empty prompt and the tokenizer has no BOS token to start from");
            }
            return text;
        }
        int[] out = new int[text.length + 1];
        out[0] = tokenizer.bosId();
        System.arraycopy(text, 0, out, 1, text.length);
        return out;
    }

    /** Generates from a text prompt in a new sequence (context from {@link GenerationOptions#contextFor}). */
    public GenerationResult generate(String prompt, GenerationOptions options, Consumer<String> onText) {
        SequenceState state = transformer.newState(options.contextFor(transformer.config().contextLength()));
        return generate(state, promptTokens(prompt), options, onText);
    }

    /**
     * Feeds {@code prompt} after what {@code state} already holds, then generates.
     *
     * @throws IllegalArgumentException when the prompt is empty or does not fit in the context left
     */
    public GenerationResult generate(SequenceState state, int[] prompt, GenerationOptions options, Consumer<String> onText) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("empty prompt: at least one token (BOS) is needed");
        }
        if (prompt.length > state.remaining()) {
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens but the context holds " + state.contextLength()
                    + (state.position() > 0 ? " (" + state.remaining() + " left)" : "") + "; use a shorter prompt or a longer context");
        }
        Sampler sampler = Sampler.of(options.sampling(), transformer.config().vocabSize());
        Utf8Stream utf8 = new Utf8Stream();
        StopStrings stops = new StopStrings(options.stopStrings());
        StringBuilder text = new StringBuilder();
        int[] generated = new int[Math.min(options.maxTokens(), state.remaining() + 1)];
        int count = 0;

        long t0 = System.nanoTime();
        float[] logits = transformer.prefill(state, prompt);
        long t1 = System.nanoTime();
        int previous = prompt[prompt.length - 1];
        int decoded = 0;
        StopReason reason;
        while (true) {
            if (count == options.maxTokens()) {
                reason = StopReason.MAX_TOKENS;
                break;
            }
            int token = sampler.sample(logits);
            if (endsSequence[token]) {
                reason = StopReason.END_OF_SEQUENCE;
                break;
            }
            generated[count++] = token;
            emit(stops.accept(utf8.push(tokenBytes.bytes(previous, token))), text, onText);
            if (stops.stopped()) {
                reason = StopReason.STOP_STRING;
                break;
            }
            previous = token;
            if (count == options.maxTokens()) {
                // The last token is shown but not fed: no one needs the logits after it.
                reason = StopReason.MAX_TOKENS;
                break;
            }
            if (state.remaining() == 0) {
                reason = StopReason.CONTEXT_FULL;
                break;
            }
            logits = transformer.decode(state, token);
            decoded++;
        }
        long t2 = System.nanoTime();
        if (!stops.stopped()) {
            emit(stops.accept(utf8.flush()), text, onText);
            if (!stops.stopped()) {
                emit(stops.flush(), text, onText);
            } else {
                reason = StopReason.STOP_STRING;
            }
        }
        GenerationStats stats = new GenerationStats(prompt.length, t1 - t0, decoded, t2 - t1);
        return new GenerationResult(text.toString(), Arrays.copyOf(generated, count), reason, stats);
    }

    private static void emit(String piece, StringBuilder text, Consumer<String> onText) {
        if (!piece.isEmpty()) {
            text.append(piece);
            onText.accept(piece);
        }
    }
}
