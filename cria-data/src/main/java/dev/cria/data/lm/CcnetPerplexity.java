package dev.cria.data.lm;

import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.spm.SentencePieceModel;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A document's perplexity as CCNet computes it (mine.py's {@code sp} and {@code lm} steps, perplexity.py's
 * {@code DocLM}): the text is normalized ({@link CcnetLmNormalizer}, all lines glued into one), split into
 * SentencePiece pieces joined by spaces, and scored by the n-gram model as one sentence with {@code <s>} and
 * {@code </s>}, summing in float as KenLM's Python {@code score} does. With L = the line's {@code str.split()}
 * token count + 1, perplexity = 10^(−log10 / L), rounded to one decimal as Python's {@code round(x, 1)} rounds
 * (half to even on the exact binary value). A document that normalizes to nothing gets no perplexity.
 *
 * <p>Pieces are looked up in the n-gram vocabulary once, when the scorer is built. KenLM splits the UTF-8 line on
 * ASCII whitespace while CCNet's length splits the text on Unicode whitespace; a piece holding, say, U+3000 is one
 * KenLM word but two tokens of length, and both counts are kept per piece. Unknown runs are scored by their
 * surface text, as SentencePiece's {@code encode_as_pieces} spells them.
 */
public final class CcnetPerplexity {
    private final SentencePieceModel tokenizer;
    private final NgramModel model;
    /** LM word ids of each SentencePiece id (the piece split on ASCII whitespace); most pieces are one word. */
    private final int[][] pieceWords;
    /** Tokens of each piece for the length (split on Unicode whitespace, as Python's {@code str.split()}). */
    private final int[] pieceLength;
    private final int unkPiece;

    /** The log10 probability of a document and its length in scored tokens (pieces + 1). */
    public record Score(double log10, int length) {
        public double perplexity() {
            return Math.pow(10.0, -log10 / length);
        }
    }

    public CcnetPerplexity(SentencePieceModel tokenizer, NgramModel model) {
        this.tokenizer = tokenizer;
        this.model = model;
        this.pieceWords = new int[tokenizer.vocabSize()][];
        this.pieceLength = new int[tokenizer.vocabSize()];
        for (int id = 0; id < pieceWords.length; id++) {
            pieceWords[id] = words(tokenizer.piece(id));
            pieceLength[id] = pythonSplit(tokenizer.piece(id)).size();
        }
        this.unkPiece = tokenizer.unkId();
    }

    public static CcnetPerplexity load(Path sentencePieceModel, Path arpa) throws IOException {
        return new CcnetPerplexity(SentencePieceModel.load(sentencePieceModel), NgramModel.readArpa(arpa));
    }

    public NgramModel model() {
        return model;
    }

    /** KenLM's words of a piece: its UTF-8 bytes split on ASCII whitespace, each looked up ({@code <unk>} if absent). */
    private int[] words(String piece) {
        byte[] b = piece.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[b.length];
        int n = 0;
        int i = 0;
        while (i < b.length) {
            while (i < b.length && QueryScorer.isSpace(b[i])) {
                i++;
            }
            int start = i;
            while (i < b.length && !QueryScorer.isSpace(b[i])) {
                i++;
            }
            if (i > start) {
                ids[n++] = model.vocabulary().index(b, start, i - start);
            }
        }
        return Arrays.copyOf(ids, n);
    }

    /** Python's {@code str.split()} with no argument: runs of Unicode whitespace separate, none kept. */
    static List<String> pythonSplit(String s) {
        List<String> out = new ArrayList<>(1);
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && CcnetLmNormalizer.isPythonSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            int start = i;
            while (i < s.length() && !CcnetLmNormalizer.isPythonSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    /** The score of the document, or null when it normalizes to nothing (CCNet then stores no perplexity). */
    public Score score(String text) {
        String normalized = CcnetLmNormalizer.normalize(text);
        if (normalized.isEmpty()) {
            return null;
        }
        int[] ids = tokenizer.encode(normalized);
        if (ids.length == 0) {
            return null;
        }
        boolean unknown = false;
        for (int id : ids) {
            unknown |= id == unkPiece;
        }
        String[] surfaces = unknown ? surfaces(normalized, ids) : null;
        LmState state = model.newState();
        LmState next = model.newState();
        model.beginSentence(state);
        float total = 0f;
        int length = 1;
        for (int i = 0; i < ids.length; i++) {
            boolean surface = ids[i] == unkPiece;
            int[] words = surface ? words(surfaces[i]) : pieceWords[ids[i]];
            length += surface ? pythonSplit(surfaces[i]).size() : pieceLength[ids[i]];
            for (int w : words) {
                total += model.score(state, w, next);
                LmState t = state;
                state = next;
                next = t;
            }
        }
        total += model.score(state, model.eosId(), next);
        return new Score(total, length);
    }

    /**
     * The pieces as SentencePiece's {@code encode_as_pieces} spells them: a known piece by itself, an unknown run by
     * its text. Walks the model-normalized text piece by piece (in UTF-8 bytes; a byte piece covers one byte) and
     * gives each unknown run what lies up to the next piece.
     */
    String[] surfaces(String normalized, int[] ids) {
        byte[] text = tokenizer.normalize(normalized).getBytes(StandardCharsets.UTF_8);
        String[] out = new String[ids.length];
        int pos = 0;
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id != unkPiece) {
                out[i] = tokenizer.piece(id);
                pos += tokenizer.type(id) == TokenType.BYTE ? 1 : out[i].getBytes(StandardCharsets.UTF_8).length;
                continue;
            }
            int end = text.length;
            if (i + 1 < ids.length && ids[i + 1] != unkPiece && tokenizer.type(ids[i + 1]) != TokenType.BYTE) {
                byte[] nextPiece = tokenizer.piece(ids[i + 1]).getBytes(StandardCharsets.UTF_8);
                end = indexOf(text, nextPiece, Math.min(pos + 1, text.length));
                if (end < 0) {
                    end = text.length;
                }
            }
            int from = Math.min(pos, text.length);
            out[i] = new String(text, from, Math.max(0, end - from), StandardCharsets.UTF_8);
            pos = Math.max(end, pos);
        }
        return out;
    }

    private static int indexOf(byte[] text, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= text.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (text[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The document perplexity CCNet stores, or NaN when the document gets none. */
    public double perplexity(String text) {
        Score s = score(text);
        return s == null ? Double.NaN : roundOneDecimal(s.perplexity());
    }

    /** Python's {@code round(x, 1)}: correctly rounded from the exact binary value, ties to even. */
    public static double roundOneDecimal(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        return new BigDecimal(x).setScale(1, RoundingMode.HALF_EVEN).doubleValue();
    }
}
