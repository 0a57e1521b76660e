package dev.cria.model.convert;

import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.TokenizerFormatException;
import dev.cria.tokenizer.spm.ModelProto;
import dev.cria.tokenizer.spm.ModelType;
import dev.cria.tokenizer.spm.NormalizerSpec;
import dev.cria.tokenizer.spm.SentencePieceModel;
import dev.cria.tokenizer.spm.TrainerSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A valid SentencePiece BPE vocabulary of any size from 260 pieces up, for random-weight models: a model's
 * vocabulary must match its embedding rows, and truncating a real tokenizer would cut pieces that others merge
 * from. Laid out as Llama's tokenizer is:
 * <pre>
 * 0 &lt;unk&gt; (UNKNOWN)   1 &lt;s&gt;, 2 &lt;/s&gt; (CONTROL)   3..258 &lt;0x00&gt;..&lt;0xFF&gt; (BYTE, for byte fallback)
 * 259.. NORMAL pieces, scores 0, -1, -2, ...: "▁", the printable ASCII characters, then merges in rounds:
 *       every piece so far extended by one lowercase letter (most frequent English letters first)
 * </pre>
 * Every merged piece is an earlier piece plus a single-character piece, both with higher scores, so BPE can
 * build each one, and encoding any text works (unknown characters fall back to bytes). The normalizer is
 * Llama's: identity, dummy prefix, whitespace kept.
 */
public final class SyntheticVocabulary {

    /** Pieces before the first normal one: unk, bos, eos and 256 bytes. */
    public static final int RESERVED = 3 + 256;
    private static final String SPACE = "\u2581";
    private static final String LETTERS = "etaoinshrdlcumwfgypbvkjxqz";

    private SyntheticVocabulary() {
    }

    public static SentencePieceModel create(int size) {
        if (size < RESERVED + 1) {
            throw new IllegalArgumentException("a byte-fallback SentencePiece vocabulary needs at least " + (RESERVED + 1)
                    + " pieces (unk, bos, eos, 256 bytes, '" + SPACE + "'), asked for " + size);
        }
        List<ModelProto.Piece> pieces = new ArrayList<>(size);
        pieces.add(new ModelProto.Piece("<unk>", 0f, TokenType.UNKNOWN));
        pieces.add(new ModelProto.Piece("<s>", 0f, TokenType.CONTROL));
        pieces.add(new ModelProto.Piece("</s>", 0f, TokenType.CONTROL));
        for (int b = 0; b < 256; b++) {
            pieces.add(new ModelProto.Piece(String.format("<0x%02X>", b), 0f, TokenType.BYTE));
        }
        List<String> normal = normalPieces(size - RESERVED);
        for (int i = 0; i < normal.size(); i++) {
            pieces.add(new ModelProto.Piece(normal.get(i), -i, TokenType.NORMAL));
        }
        TrainerSpec trainer = new TrainerSpec();
        trainer.values().set("model_type", ModelType.BPE);
        trainer.values().set("vocab_size", size);
        trainer.values().set("byte_fallback", true);
        trainer.values().set("unk_id", 0);
        trainer.values().set("bos_id", 1);
        trainer.values().set("eos_id", 2);
        trainer.values().set("pad_id", -1);
        NormalizerSpec normalizer = new NormalizerSpec();
        normalizer.values().set("name", "identity");
        normalizer.values().set("add_dummy_prefix", true);
        normalizer.values().set("remove_extra_whitespaces", false);
        try {
            return SentencePieceModel.of(new ModelProto(pieces, trainer, normalizer, null, null), "synthetic vocabulary of " + size);
        } catch (TokenizerFormatException e) {
            throw new IllegalStateException("the synthetic vocabulary is invalid", e);
        }
    }

    private static List<String> normalPieces(int count) {
        List<String> out = new ArrayList<>(count);
        Set<String> seen = new HashSet<>();
        add(out, seen, SPACE, count);
        for (char c = '!'; c <= '~'; c++) {
            add(out, seen, String.valueOf(c), count);
        }
        int roundStart = 0;
        while (out.size() < count) {
            int roundEnd = out.size();
            for (int i = roundStart; i < roundEnd && out.size() < count; i++) {
                String base = out.get(i);
                if (!base.startsWith(SPACE) && !Character.isLetter(base.charAt(0))) {
                    continue;
                }
                for (int l = 0; l < LETTERS.length() && out.size() < count; l++) {
                    add(out, seen, base + LETTERS.charAt(l), count);
                }
            }
            roundStart = roundEnd;
        }
        return out;
    }

    private static void add(List<String> out, Set<String> seen, String piece, int count) {
        if (out.size() < count && seen.add(piece)) {
            out.add(piece);
        }
    }
}
