package dev.cria.tokenizer.bytelevel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.TokenizerFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerJsonTest {

    @Test
    void followsTheMergeListWhenIdsAreNotRanks() throws TokenizerFormatException {
        // The list merges "b c" before "a b" although "ab" has the lower id, and never lists "a bc".
        ObjectNode json = SmallVocabularies.tokenizerJson(new String[] {"ab", "bc", "abc"},
                new String[] {"b c", "a b", "ab c"}, false);
        ByteLevelBpe bpe = ByteLevelBpe.fromTokenizerJson(json, "small.json");
        assertFalse(bpe.idsAreRanks());
        assertArrayEquals(new int[] {'a', 257}, bpe.encode("abc"));
        assertArrayEquals(new int[] {256}, bpe.encode("ab"));
        assertArrayEquals(new int[] {256, 'x'}, bpe.encode("abx"));
    }

    @Test
    void provesIdsAreRanksWhenTheListHoldsEverySplitInIdOrder() throws TokenizerFormatException {
        ObjectNode json = SmallVocabularies.tokenizerJson(new String[] {"ab", "bc", "abc"},
                new String[] {"a b", "b c", "ab c", "a bc"}, false);
        ByteLevelBpe bpe = ByteLevelBpe.fromTokenizerJson(json, "small.json");
        assertTrue(bpe.idsAreRanks());
        assertArrayEquals(new int[] {258}, bpe.encode("abc"));
    }

    @Test
    void looksUpWholeChunksFirstWhenMergesAreIgnored() throws TokenizerFormatException {
        String[] extra = {"ab", "bc", "abc"};
        String[] merges = {"b c", "a b"};
        assertArrayEquals(new int[] {'a', 257},
                ByteLevelBpe.fromTokenizerJson(SmallVocabularies.tokenizerJson(extra, merges, false), "s").encode("abc"));
        assertArrayEquals(new int[] {258},
                ByteLevelBpe.fromTokenizerJson(SmallVocabularies.tokenizerJson(extra, merges, true), "s").encode("abc"));
    }

    @Test
    void readsMergesWrittenAsArraysLikeMergesWrittenAsStrings() throws IOException {
        ObjectNode json = (ObjectNode) Llama3Fixture.tokenizerJson().deepCopy();
        ArrayNode merges = (ArrayNode) json.get("model").get("merges");
        ArrayNode arrays = json.arrayNode(merges.size());
        for (JsonNode merge : merges) {
            String[] pair = merge.asText().split(" ");
            arrays.addArray().add(pair[0]).add(pair[1]);
        }
        ((ObjectNode) json.get("model")).set("merges", arrays);
        ByteLevelBpe bpe = ByteLevelBpe.fromTokenizerJson(json, "arrays.json");
        assertTrue(bpe.idsAreRanks());
        for (Llama3Fixture.Case c : Llama3Fixture.llamaCppCases()) {
            assertArrayEquals(c.ids(), bpe.encode(c.text()), () -> "text: '" + c.text() + "'");
        }
    }

    @Test
    void ggufStyleArraysEncodeEveryVectorIdentically() throws IOException {
        JsonNode json = Llama3Fixture.tokenizerJson();
        String[] pieces = new String[128_256];
        int[] types = new int[pieces.length];
        for (var entry : json.get("model").get("vocab").properties()) {
            pieces[entry.getValue().asInt()] = entry.getKey();
            types[entry.getValue().asInt()] = TokenType.NORMAL.code();
        }
        for (JsonNode added : json.get("added_tokens")) {
            pieces[added.get("id").asInt()] = added.get("content").asText();
            types[added.get("id").asInt()] = TokenType.CONTROL.code();
        }
        List<String> merges = new ArrayList<>();
        json.get("model").get("merges").forEach(m -> merges.add(m.asText()));
        ByteLevelBpe bpe = ByteLevelBpe.of(pieces, types, merges.toArray(new String[0]));
        assertTrue(bpe.idsAreRanks());
        assertEquals(128000, bpe.bosId());
        assertEquals(128001, bpe.eosId());
        for (Llama3Fixture.Case c : Llama3Fixture.llamaCppCases()) {
            assertArrayEquals(c.ids(), bpe.encode(c.text()), () -> "text: '" + c.text() + "'");
        }
    }

    @Test
    void namesTheMergeThatUsesAnUnknownToken() {
        ObjectNode json = SmallVocabularies.tokenizerJson(new String[] {"ab"}, new String[] {"a b", "ab q"}, false);
        ((ArrayNode) json.get("model").get("merges")).set(1, json.textNode("ab zz"));
        var e = assertThrows(TokenizerFormatException.class, () -> ByteLevelBpe.fromTokenizerJson(json, "bad.json"));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("model.merges[1]")
                && e.getMessage().contains("'zz'"), e.getMessage());
    }

    @Test
    void namesTheMergeWhoseResultIsNotAToken() {
        ObjectNode json = SmallVocabularies.tokenizerJson(new String[] {"ab"}, new String[] {"a b", "b a"}, false);
        var e = assertThrows(TokenizerFormatException.class, () -> ByteLevelBpe.fromTokenizerJson(json, "bad.json"));
        assertTrue(e.getMessage().contains("model.merges[1]") && e.getMessage().contains("no token"), e.getMessage());
    }

    @Test
    void refusesIdsWithAGap() {
        ObjectNode json = SmallVocabularies.tokenizerJson(new String[] {"ab"}, new String[] {"a b"}, false);
        ((ObjectNode) json.get("model").get("vocab")).put("ĠĠ", 300);
        var e = assertThrows(TokenizerFormatException.class, () -> ByteLevelBpe.fromTokenizerJson(json, "gap.json"));
        assertTrue(e.getMessage().contains("gap.json") && e.getMessage().contains("no token has id 257"), e.getMessage());
    }

    @Test
    void refusesAVocabularyWithoutEveryByte() {
        ObjectNode json = SmallVocabularies.tokenizerJson(new String[0], new String[0], false);
        ((ObjectNode) json.get("model").get("vocab")).remove("ÿ");
        ((ObjectNode) json.get("model").get("vocab")).put("ÿÿ", 255);
        var e = assertThrows(TokenizerFormatException.class, () -> ByteLevelBpe.fromTokenizerJson(json, "v.json"));
        assertTrue(e.getMessage().contains("byte 0xFF has no token"), e.getMessage());
    }

    @Test
    void refusesModelsAndNormalizersItWouldTokenizeDifferently() {
        ObjectNode unigram = SmallVocabularies.tokenizerJson(new String[0], new String[0], false);
        ((ObjectNode) unigram.get("model")).put("type", "Unigram");
        var e = assertThrows(TokenizerFormatException.class, () -> ByteLevelBpe.fromTokenizerJson(unigram, "u.json"));
        assertTrue(e.getMessage().contains("'Unigram'"), e.getMessage());

        ObjectNode nfc = SmallVocabularies.tokenizerJson(new String[0], new String[0], false);
        nfc.putObject("normalizer").put("type", "NFC");
        e = assertThrows(TokenizerFormatException.class, () -> ByteLevelBpe.fromTokenizerJson(nfc, "n.json"));
        assertTrue(e.getMessage().contains("normalizer"), e.getMessage());

        ObjectNode prefix = SmallVocabularies.tokenizerJson(new String[0], new String[0], false);
        ((ObjectNode) prefix.get("model")).put("continuing_subword_prefix", "##");
        e = assertThrows(TokenizerFormatException.class, () -> ByteLevelBpe.fromTokenizerJson(prefix, "p.json"));
        assertTrue(e.getMessage().contains("continuing_subword_prefix"), e.getMessage());
    }

    @Test
    void usesGpt2SplitRuleForAPlainByteLevelPreTokenizer() throws TokenizerFormatException {
        ObjectNode json = SmallVocabularies.tokenizerJson(new String[0], new String[0], false);
        ObjectNode pre = json.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel");
        pre.put("add_prefix_space", false);
        pre.put("use_regex", true);
        ByteLevelBpe bpe = ByteLevelBpe.fromTokenizerJson(json, "gpt2.json");
        assertEquals(RegexPreTokenizer.GPT2_PATTERN, bpe.preTokenizer().pattern());
    }
}
