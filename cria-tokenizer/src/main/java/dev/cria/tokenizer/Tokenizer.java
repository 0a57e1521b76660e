package dev.cria.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A text-to-ids mapping of one model file: SentencePiece BPE (Llama 1/2) or byte-level BPE (Llama 3).
 *
 * <p>Encoding never adds BOS/EOS; callers add {@link #bosId()} and {@link #eosId()} where they want them,
 * as Meta's {@code tokenizer.py} does. Implementations are immutable and safe to share across threads.
 */
public interface Tokenizer {

    /** Number of ids; every id in {@code [0, vocabSize())} has a piece. */
    int vocabSize();

    /** Encodes UTF-8 bytes. Invalid UTF-8 is handled as the reference library does. */
    int[] encode(byte[] utf8, int offset, int length);

    default int[] encode(byte[] utf8) {
        return encode(utf8, 0, utf8.length);
    }

    default int[] encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The pieces of {@link #encode(byte[], int, int)}, as the model file spells them. */
    default List<String> encodeAsPieces(String text) {
        int[] ids = encode(text);
        List<String> pieces = new ArrayList<>(ids.length);
        for (int id : ids) {
            pieces.add(piece(id));
        }
        return pieces;
    }

    /** Decodes ids to bytes; the result may hold invalid UTF-8 only for byte-level models. */
    byte[] decodeToBytes(int[] ids);

    /** Decodes ids to text; bytes that do not form valid UTF-8 become U+FFFD. */
    default String decode(int[] ids) {
        return new String(decodeToBytes(ids), StandardCharsets.UTF_8);
    }

    /** The piece of {@code id} as the model file spells it ({@code ▁} for spaces, or byte-level characters). */
    String piece(int id);

    /** The id of {@code piece}, or -1 when the vocabulary has none. */
    int pieceToId(String piece);

    TokenType type(int id);

    /** Beginning-of-sequence id, or -1 when the model defines none. */
    int bosId();

    /** End-of-sequence id, or -1 when the model defines none. */
    int eosId();

    /** Unknown-token id, or -1 when the model defines none. */
    int unkId();

    /** A one-line description for {@code cria tokenizer info}: kind, vocabulary, special ids. */
    String describe();
}
