package dev.cria.model.chat;

import dev.cria.model.SequenceState;
import dev.cria.model.generate.GenerationOptions;
import dev.cria.model.generate.GenerationResult;
import dev.cria.model.generate.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A conversation with a chat model that keeps its history within the context. Each turn encodes the whole dialog
 * with the {@link ChatTemplate}, reuses the cached keys and values of the longest prefix already fed (usually all
 * earlier turns), and prefills only the rest. When the dialog and room for the reply do not fit the context, the
 * oldest exchanges (user message and answer) are dropped, keeping the system prompt, and the dialog is fed again.
 */
public final class ChatSession {
    private final Generator generator;
    private final ChatTemplate template;
    private final GenerationOptions options;
    private final SequenceState state;
    private final List<ChatMessage> history = new ArrayList<>();
    private final int replyRoom;
    /** The tokens whose keys and values are in the cache, in order (the first {@code state.position()} are valid). */
    private int[] fed = new int[0];

    /**
     * @param systemPrompt the system message, or null for none
     * @param options generation options of every reply; {@code maxTokens} also sets the room kept free for a reply
     *     (at most half the context)
     */
    public ChatSession(Generator generator, ChatTemplate template, String systemPrompt, GenerationOptions options) {
        this.generator = generator;
        this.template = template;
        this.options = options;
        this.state = generator.transformer().newState(options.contextFor(generator.transformer().config().contextLength()));
        this.replyRoom = Math.max(1, Math.min(options.maxTokens(), state.contextLength() / 2));
        if (systemPrompt != null && !systemPrompt.isBlank()) {
            history.add(ChatMessage.system(systemPrompt));
        }
    }

    /** The dialog so far (system prompt, then user and assistant messages), oldest dropped ones excluded. */
    public List<ChatMessage> history() {
        return List.copyOf(history);
    }

    public ChatTemplate template() {
        return template;
    }

    /**
     * Sends {@code message} and generates the reply, streaming its text to {@code onText}; the reply joins the history.
     *
     * @throws IllegalArgumentException when the message alone (with the system prompt) does not fit the context
     */
    public GenerationResult send(String message, Consumer<String> onText) {
        history.add(ChatMessage.user(message));
        int[] tokens = template.encode(history);
        while (tokens.length + replyRoom > state.contextLength()) {
            int first = history.getFirst().role() == ChatMessage.Role.SYSTEM ? 1 : 0;
            if (history.size() - first <= 1) {
                history.removeLast();
                throw new IllegalArgumentException("the message needs " + tokens.length + " tokens; with " + replyRoom
                        + " kept for the reply it does not fit the context of " + state.contextLength());
            }
            history.remove(first);
            history.remove(first);
            tokens = template.encode(history);
        }
        int reuse = commonPrefix(tokens);
        if (reuse == tokens.length) {
            reuse--;
        }
        state.rewind(reuse);
        int[] rest = Arrays.copyOfRange(tokens, reuse, tokens.length);
        LeadingSpace trim = new LeadingSpace(onText);
        GenerationResult result = generator.generate(state, rest, options, trim);
        fed = Arrays.copyOf(tokens, tokens.length + result.tokens().length);
        System.arraycopy(result.tokens(), 0, fed, tokens.length, result.tokens().length);
        String reply = trim.text();
        history.add(ChatMessage.assistant(reply));
        return new GenerationResult(reply, result.tokens(), result.stopReason(), result.stats());
    }

    private int commonPrefix(int[] tokens) {
        int limit = Math.min(Math.min(tokens.length, state.position()), fed.length);
        int n = 0;
        while (n < limit && fed[n] == tokens[n]) {
            n++;
        }
        return n;
    }

    /** Drops the whitespace a reply starts with (its first piece usually carries a space), as decoding the reply alone would. */
    private static final class LeadingSpace implements Consumer<String> {
        private final Consumer<String> next;
        private final StringBuilder text = new StringBuilder();
        private boolean started;

        LeadingSpace(Consumer<String> next) {
            this.next = next;
        }

        @Override
        public void accept(String piece) {
            String out = piece;
            if (!started) {
                out = piece.stripLeading();
                if (out.isEmpty()) {
                    return;
                }
                started = true;
            }
            text.append(out);
            next.accept(out);
        }

        String text() {
            return text.toString();
        }
    }
}
