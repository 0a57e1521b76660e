package dev.cria.model.generate;

import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.Tokenizer;
import dev.cria.tokenizer.bytelevel.ByteLevelBpe;
import java.nio.charset.StandardCharsets;

/**
 * The bytes each token adds to generated text, one token at a time (as llama2.c's {@code decode} and llama.cpp's
 * {@code token_to_piece} render them), computed once per vocabulary:
 * <ul>
 *   <li>SentencePiece: the piece with {@code ▁} as a space; a byte piece {@code <0xNN>} is that one raw byte (so a
 *       character split over several byte pieces arrives in parts); control pieces (BOS, EOS) are empty; an unknown
 *       piece is the tokenizer's own rendering. A piece right after BOS loses its leading space, as the
 *       SentencePiece decoder drops the dummy prefix at the start of a text.</li>
 *   <li>Byte-level BPE (Llama 3): the token's bytes; control tokens are empty.</li>
 * </ul>
 */
final class TokenBytes {
    private static final byte[] NONE = new byte[0];

    private final byte[][] bytes;
    private final int bos;

    TokenBytes(Tokenizer tokenizer) {
        int n = tokenizer.vocabSize();
        this.bytes = new byte[n][];
        this.bos = tokenizer.bosId();
        for (int id = 0; id < n; id++) {
            bytes[id] = of(tokenizer, id);
        }
    }

    private static byte[] of(Tokenizer tokenizer, int id) {
        TokenType type = tokenizer.type(id);
        if (type == TokenType.CONTROL) {
            return NONE;
        }
        if (tokenizer instanceof ByteLevelBpe bpe) {
            return bpe.tokenBytes(id);
        }
        return switch (type) {
            case BYTE -> new byte[] {(byte) Integer.parseInt(tokenizer.piece(id).substring(3, 5), 16)};
            case UNKNOWN -> tokenizer.decodeToBytes(new int[] {id});
            default -> tokenizer.piece(id).replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
        };
    }

    /**
     * The bytes of {@code token} when it follows {@code previous} (-1: none). Ids past the tokenizer's vocabulary
     * (a model may pad its embedding beyond it) print nothing.
     */
    byte[] bytes(int previous, int token) {
        if (token >= bytes.length) {
            return NONE;
        }
        byte[] b = bytes[token];
        if (previous == bos && bos >= 0 && b.length > 0 && b[0] == ' ') {
            return java.util.Arrays.copyOfRange(b, 1, b.length);
        }
        return b;
    }
}
