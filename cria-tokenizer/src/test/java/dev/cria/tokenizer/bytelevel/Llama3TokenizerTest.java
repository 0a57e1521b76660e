package dev.cria.tokenizer.bytelevel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cria.tokenizer.TokenType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Llama3TokenizerTest {

    @Test
    void encodesEveryLlamaCppVectorIdentically() throws IOException {
        ByteLevelBpe bpe = Llama3Fixture.tokenizer();
        List<Llama3Fixture.Case> cases = Llama3Fixture.llamaCppCases();
        assertEquals(46, cases.size());
        for (Llama3Fixture.Case c : cases) {
            assertArrayEquals(c.ids(), bpe.encode(c.text()), () -> "text: '" + c.text() + "'");
        }
    }

    @Test
    void encodesMetasTestSentenceWithBosAndEos() {
        ByteLevelBpe bpe = Llama3Fixture.tokenizer();
        int[] body = bpe.encode("This is a test sentence.");
        int[] ids = new int[body.length + 2];
        ids[0] = bpe.bosId();
        System.arraycopy(body, 0, ids, 1, body.length);
        ids[ids.length - 1] = bpe.eosId();
        assertArrayEquals(new int[] {128000, 2028, 374, 264, 1296, 11914, 13, 128001}, ids);
    }

    @Test
    void decodingTheIdsOfEveryVectorGivesBackItsText() throws IOException {
        ByteLevelBpe bpe = Llama3Fixture.tokenizer();
        for (Llama3Fixture.Case c : Llama3Fixture.llamaCppCases()) {
            assertEquals(c.text(), bpe.decode(c.ids()));
            assertEquals(c.text(), bpe.decode(bpe.encode(c.text())));
        }
    }

    @Test
    void tiktokenFileWrittenFromTokenizerJsonEncodesEveryVectorIdentically(@TempDir Path dir) throws IOException {
        ByteLevelBpe fromJson = Llama3Fixture.tokenizer();
        Path file = dir.resolve("tokenizer.model");
        TiktokenFile.write(fromJson, file);
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList(), "only the renamed file is left");
        }
        byte[] head = Arrays.copyOf(Files.readAllBytes(file), 256);
        assertTrue(ByteLevelBpe.looksLikeTiktoken(head));
        ByteLevelBpe fromTiktoken = ByteLevelBpe.fromTiktoken(file);
        assertEquals(fromJson.vocabSize(), fromTiktoken.vocabSize());
        for (Llama3Fixture.Case c : Llama3Fixture.llamaCppCases()) {
            assertArrayEquals(c.ids(), fromTiktoken.encode(c.text()), () -> "text: '" + c.text() + "'");
        }
        for (int id = 0; id < fromJson.vocabSize(); id++) {
            assertEquals(fromJson.piece(id), fromTiktoken.piece(id));
            assertEquals(fromJson.type(id), fromTiktoken.type(id));
        }
        assertEquals(128000, fromTiktoken.bosId());
        assertEquals(128001, fromTiktoken.eosId());
    }

    @Test
    void tokenizerJsonIdsAreProvenToBeTiktokenRanks() {
        assertTrue(Llama3Fixture.tokenizer().idsAreRanks());
    }

    @Test
    void appendedSpecialTokensAreTheOnesInLlama3TokenizerJson() {
        JsonNode added = Llama3Fixture.tokenizerJson().get("added_tokens");
        List<String> names = new ArrayList<>();
        for (JsonNode token : added) {
            assertEquals(128000 + names.size(), token.get("id").asInt());
            names.add(token.get("content").asText());
        }
        assertEquals(names, Llama3SpecialTokens.NAMES);
    }

    @Test
    void exposesLlama3SpecialIds() {
        ByteLevelBpe bpe = Llama3Fixture.tokenizer();
        assertEquals(128000, bpe.bosId());
        assertEquals(128001, bpe.eosId());
        assertEquals(128009, bpe.pieceToId(ByteLevelBpe.END_OF_TURN));
        assertEquals(128006, bpe.pieceToId("<|start_header_id|>"));
        assertEquals(-1, bpe.unkId());
        assertEquals(128256, bpe.vocabSize());
        assertEquals(TokenType.CONTROL, bpe.type(128009));
        assertEquals(TokenType.NORMAL, bpe.type(127999));
        assertEquals(256, bpe.specialTokens().size());
        assertTrue(bpe.describe().contains("128256 tokens (128000 merged, 256 added), merge order: tiktoken ranks, "
                + "bos=128000 <|begin_of_text|>, eos=128001 <|end_of_text|>"), bpe.describe());
    }

    @Test
    void piecesAreSpelledInGpt2ByteLevelAlphabetAsInTokenizerJson() {
        ByteLevelBpe bpe = Llama3Fixture.tokenizer();
        JsonNode vocab = Llama3Fixture.tokenizerJson().get("model").get("vocab");
        int hello = vocab.get("Ġhello").asInt();
        assertArrayEquals(new int[] {hello}, bpe.encode(" hello"));
        assertEquals("Ġhello", bpe.piece(hello));
        assertEquals(hello, bpe.pieceToId("Ġhello"));
        int newline = vocab.get("Ċ").asInt();
        assertEquals("Ċ", bpe.piece(newline));
        assertArrayEquals(new int[] {newline}, bpe.encode("\n"));
        assertEquals(-1, bpe.pieceToId("not a piece because of spaces"));
        for (var entry : vocab.properties()) {
            assertEquals(entry.getValue().asInt(), bpe.pieceToId(entry.getKey()));
        }
    }

    @Test
    void encodeReadsSpecialTokenTextAsOrdinaryText() {
        ByteLevelBpe bpe = Llama3Fixture.tokenizer();
        String text = "<|begin_of_text|>Hi<|eot_id|>";
        int[] ids = bpe.encode(text);
        for (int id : ids) {
            assertEquals(TokenType.NORMAL, bpe.type(id), "no special id in " + Arrays.toString(ids));
        }
        assertEquals(text, bpe.decode(ids));
    }

    @Test
    void encodeWithSpecialsMapsOnlyTheAllowedSpecialTokens() {
        ByteLevelBpe bpe = Llama3Fixture.tokenizer();
        String text = "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>";
        int[] all = bpe.encodeWithSpecials(text, bpe.specialTokens());
        int[] expected = concat(new int[] {128006}, bpe.encode("user"), new int[] {128007}, bpe.encode("\n\nHi"),
                new int[] {128009});
        assertArrayEquals(expected, all);
        assertEquals(text, bpe.decode(all));

        int[] onlyEot = bpe.encodeWithSpecials(text, Set.of(ByteLevelBpe.END_OF_TURN));
        assertArrayEquals(concat(bpe.encode("<|start_header_id|>user<|end_header_id|>\n\nHi"), new int[] {128009}),
                onlyEot);
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }
}
