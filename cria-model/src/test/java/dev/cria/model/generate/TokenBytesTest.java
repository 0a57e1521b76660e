package dev.cria.model.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.tokenizer.Tokenizer;
import dev.cria.tokenizer.TokenizerLoader;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenBytesTest {

    /** The text of {@code ids} as a stream of single tokens, after {@code previous}. */
    private static String stream(Tokenizer t, int previous, int[] ids) {
        TokenBytes bytes = new TokenBytes(t);
        Utf8Stream utf8 = new Utf8Stream();
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            out.append(utf8.push(bytes.bytes(previous, id)));
            previous = id;
        }
        return out.append(utf8.flush()).toString();
    }

    @Test
    void byteFallbackPiecesOfOneCharacterJoinIntoIt() throws IOException {
        Tokenizer t = TokenizerLoader.load(SharedData.file("models/stories260K/tok512.bin"));
        String text = "Lily said: naïve café ☕ 世界";
        int[] ids = t.encode(text);
        long bytePieces = java.util.Arrays.stream(ids).filter(id -> t.piece(id).startsWith("<0x")).count();
        assertTrue(bytePieces >= 6, "the 512-piece vocabulary spells these characters with byte pieces");
        assertEquals(" " + text, stream(t, 5, ids), "after any other token the dummy-prefix space stays");
        assertEquals(text, stream(t, t.bosId(), ids), "after BOS it goes, as SentencePiece decodes the start of a text");
        assertEquals(t.decode(ids), stream(t, t.bosId(), ids));
    }

    @Test
    void byteLevelTokensGiveTheirBytes() throws IOException {
        Tokenizer t = TokenizerLoader.load(SharedData.file("tokenizer/llama3/tokenizer.json"));
        String text = "héllo 👋 世界, Ünïcödé";
        int[] ids = t.encode(text);
        assertEquals(text, stream(t, t.bosId(), ids), "no space to drop: byte-level BPE has no dummy prefix");
        int eot = t.pieceToId("<|eot_id|>");
        assertArrayEquals(new byte[0], new TokenBytes(t).bytes(-1, eot), "control tokens print nothing");
        assertEquals(text, new String(t.decodeToBytes(ids), StandardCharsets.UTF_8));
    }
}
