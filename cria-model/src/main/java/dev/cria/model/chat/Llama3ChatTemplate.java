package dev.cria.model.chat;

import dev.cria.tokenizer.Tokenizer;
import java.util.List;

/**
 * Llama 3's chat format, as Meta's {@code ChatFormat} builds it:
 * {@code <|begin_of_text|>}, then per message {@code <|start_header_id|> role <|end_header_id|> "\n\n" content
 * <|eot_id|>} (content stripped), then the open header {@code <|start_header_id|> assistant <|end_header_id|> "\n\n"};
 * the model ends its reply with {@code <|eot_id|>}.
 */
public record Llama3ChatTemplate(Tokenizer tokenizer) implements ChatTemplate {
    static final String BEGIN_OF_TEXT = "<|begin_of_text|>";
    static final String START_HEADER = "<|start_header_id|>";
    static final String END_HEADER = "<|end_header_id|>";
    static final String END_OF_TURN = "<|eot_id|>";

    public Llama3ChatTemplate {
        for (String special : List.of(BEGIN_OF_TEXT, START_HEADER, END_HEADER, END_OF_TURN)) {
            if (tokenizer.pieceToId(special) < 0) {
                throw new IllegalArgumentException("Llama 3's chat format needs the token " + special + "; the vocabulary has none");
            }
        }
    }

    @Override
    public String name() {
        return "llama3";
    }

    @Override
    public int[] encode(List<ChatMessage> dialog) {
        ChatTemplate.checkDialog(dialog);
        TokenList out = new TokenList();
        out.add(id(BEGIN_OF_TEXT));
        for (ChatMessage m : dialog) {
            header(out, m.role().label());
            out.add(tokenizer.encode(m.content().strip()));
            out.add(id(END_OF_TURN));
        }
        header(out, ChatMessage.Role.ASSISTANT.label());
        return out.toArray();
    }

    private void header(TokenList out, String role) {
        out.add(id(START_HEADER));
        out.add(tokenizer.encode(role));
        out.add(id(END_HEADER));
        out.add(tokenizer.encode("\n\n"));
    }

    private int id(String special) {
        return tokenizer.pieceToId(special);
    }
}
