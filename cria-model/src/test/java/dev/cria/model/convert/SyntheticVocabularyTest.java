package dev.cria.model.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.spm.SentencePieceModel;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticVocabularyTest {

    @Test
    void hasExactlyTheAskedSizeWithLlamasSpecialAndBytePieces() {
        for (int size : new int[] {260, 512, 32000}) {
            SentencePieceModel v = SyntheticVocabulary.create(size);
            assertEquals(size, v.vocabSize());
            assertEquals(TokenType.UNKNOWN, v.type(0));
            assertEquals(1, v.bosId());
            assertEquals(2, v.eosId());
            assertEquals("<0x0A>", v.piece(3 + 10));
            assertEquals(TokenType.BYTE, v.type(258));
            assertEquals("\u2581", v.piece(259));
        }
    }

    @Test
    void everyMergedPieceJoinsTwoPiecesWithHigherScores() {
        SentencePieceModel v = SyntheticVocabulary.create(32000);
        Set<String> seen = new HashSet<>();
        for (int id = SyntheticVocabulary.RESERVED; id < v.vocabSize(); id++) {
            String p = v.piece(id);
            assertTrue(seen.add(p), "duplicate piece " + p);
            if (p.codePointCount(0, p.length()) > 1) {
                int cut = p.offsetByCodePoints(p.length(), -1);
                int left = v.pieceToId(p.substring(0, cut));
                int right = v.pieceToId(p.substring(cut));
                assertTrue(left >= 0 && right >= 0 && v.score(left) > v.score(id) && v.score(right) > v.score(id), p);
            }
        }
    }

    @Test
    void encodesAnyTextAndDecodesItBack() {
        SentencePieceModel v = SyntheticVocabulary.create(2000);
        String text = "Once upon a time, Zoë saw 42 cats — 猫!";
        int[] ids = v.encode(text);
        assertEquals(text, v.decode(ids));
        assertTrue(ids.length < text.length(), "merged pieces shorten the encoding");
    }

    @Test
    void refusesAVocabularyTooSmallForByteFallback() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyntheticVocabulary.create(259));
        assertTrue(e.getMessage().startsWith("a byte-fallback SentencePiece vocabulary needs at least 260 pieces"), e.getMessage());
    }
}
