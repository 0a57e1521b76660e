package dev.cria.model.chat;

import dev.cria.tokenizer.Tokenizer;
import java.util.List;

/**
 * Turns a dialog into the tokens a chat model was fine-tuned on, ending where the assistant's reply begins.
 * Special tokens (BOS, EOS, Llama 3's headers) are inserted as ids, never parsed out of message text, so a message
 * cannot forge them.
 */
public sealed interface ChatTemplate permits Llama2ChatTemplate, Llama3ChatTemplate {

    /** A short name: {@code llama2} or {@code llama3}. */
    String name();

    /**
     * The tokens of {@code dialog} followed by the prompt for the assistant's next message. The dialog is an
     * optional system message, then user and assistant messages alternating, ending with a user message.
     *
     * @throws IllegalArgumentException when the dialog does not have that shape
     */
    int[] encode(List<ChatMessage> dialog);

    /**
     * The template for a model: the one whose markers appear in the GGUF {@code tokenizer.chat_template} (Llama 3's
     * {@code <|start_header_id|>}, Llama 2's {@code [INST]} with {@code <<SYS>>}); when there is no template or it is
     * neither, Llama 3's when the vocabulary has {@code <|start_header_id|>}, otherwise Llama 2's.
     */
    static ChatTemplate forModel(String jinjaTemplate, Tokenizer tokenizer) {
        if (jinjaTemplate != null) {
            if (jinjaTemplate.contains("<|start_header_id|>") && jinjaTemplate.contains("<|eot_id|>")) {
                return new Llama3ChatTemplate(tokenizer);
            }
            if (jinjaTemplate.contains("[INST]") && jinjaTemplate.contains("<<SYS>>")) {
                return new Llama2ChatTemplate(tokenizer);
            }
        }
        return tokenizer.pieceToId(Llama3ChatTemplate.START_HEADER) >= 0 ? new Llama3ChatTemplate(tokenizer) : new Llama2ChatTemplate(tokenizer);
    }

    /** Checks the shape described at {@link #encode}. */
    static void checkDialog(List<ChatMessage> dialog) {
        int i = !dialog.isEmpty() && dialog.getFirst().role() == ChatMessage.Role.SYSTEM ? 1 : 0;
        if (i == dialog.size()) {
            throw new IllegalArgumentException("the dialog has no user message");
        }
        for (int k = i; k < dialog.size(); k++) {
            ChatMessage.Role expected = (k - i) % 2 == 0 ? ChatMessage.Role.USER : ChatMessage.Role.ASSISTANT;
            if (dialog.get(k).role() != expected) {
                throw new IllegalArgumentException("message " + k + " is from " + dialog.get(k).role().label() + ", expected "
                        + expected.label() + " (an optional system message, then user and assistant alternating)");
            }
        }
        if (dialog.getLast().role() != ChatMessage.Role.USER) {
            throw new IllegalArgumentException("the dialog must end with a user message");
        }
    }
}
