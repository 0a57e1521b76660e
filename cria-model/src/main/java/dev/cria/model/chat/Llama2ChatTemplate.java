package dev.cria.model.chat;

import dev.cria.tokenizer.Tokenizer;
import java.util.List;

/**
 * Llama 2's chat format, as Meta's {@code chat_completion} builds it: the system prompt is folded into the first
 * user message between {@code <<SYS>>\n} and {@code \n<</SYS>>\n\n}; each finished exchange is
 * {@code BOS "[INST] {user} [/INST] {answer} " EOS} and the open one {@code BOS "[INST] {user} [/INST]"}, with
 * messages stripped of surrounding whitespace and each segment tokenized on its own.
 */
public record Llama2ChatTemplate(Tokenizer tokenizer) implements ChatTemplate {
    private static final String B_INST = "[INST]";
    private static final String E_INST = "[/INST]";
    private static final String B_SYS = "<<SYS>>\n";
    private static final String E_SYS = "\n<</SYS>>\n\n";

    public Llama2ChatTemplate {
        if (tokenizer.bosId() < 0 || tokenizer.eosId() < 0) {
            throw new IllegalArgumentException("Llama 2's chat format needs BOS and EOS tokens; the tokenizer lacks one");
        }
    }

    @Override
    public String name() {
        return "llama2";
    }

    @Override
    public int[] encode(List<ChatMessage> dialog) {
        ChatTemplate.checkDialog(dialog);
        int from = 0;
        String firstUser;
        if (dialog.getFirst().role() == ChatMessage.Role.SYSTEM) {
            firstUser = B_SYS + dialog.getFirst().content() + E_SYS + dialog.get(1).content();
            from = 1;
        } else {
            firstUser = dialog.getFirst().content();
        }
        TokenList out = new TokenList();
        for (int k = from; k < dialog.size(); k += 2) {
            String user = (k == from ? firstUser : dialog.get(k).content()).strip();
            out.add(tokenizer.bosId());
            if (k + 1 < dialog.size()) {
                out.add(tokenizer.encode(B_INST + " " + user + " " + E_INST + " " + dialog.get(k + 1).content().strip() + " "));
                out.add(tokenizer.eosId());
            } else {
                out.add(tokenizer.encode(B_INST + " " + user + " " + E_INST));
            }
        }
        return out.toArray();
    }
}
