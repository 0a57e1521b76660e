package dev.cria.data.stage.ccnet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.dedup.LongHashCounts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LineDedupTest {

    private static Document doc(String id, String text) {
        return new Document(id, text, "cc", Map.of());
    }

    private static DocumentStage dedup(List<List<Document>> shards) {
        LineDedup stage = new LineDedup();
        LongHashCounts merged = stage.emptySummary();
        for (List<Document> shard : shards) {
            LongHashCounts s = stage.emptySummary();
            for (Document d : shard) {
                s = stage.observe(s, d);
            }
            merged = stage.merge(merged, s);
        }
        return stage.decide(merged);
    }

    @Test
    void removesEveryCopyOfARepeatedLineIncludingTheFirst() {
        Document a = doc("a", "Cookie notice\nA unique line about rivers.\nShare this page");
        Document b = doc("b", "Another unique line about mountains.\nCookie notice");
        Document c = doc("c", "Share this page");
        DocumentStage decide = dedup(List.of(List.of(a), List.of(b, c)));
        Outcome.Keep keptA = (Outcome.Keep) decide.apply(a);
        assertEquals("A unique line about rivers.", keptA.document().text());
        assertEquals(List.of(1), keptA.document().meta().get("line_ids"));
        assertEquals(3, keptA.document().meta().get("original_nlines"));
        assertEquals(1, keptA.document().meta().get("nlines"));
        assertEquals("Another unique line about mountains.", ((Outcome.Keep) decide.apply(b)).document().text());
        assertEquals(new Outcome.Drop("all_lines_duplicated"), decide.apply(c));
    }

    @Test
    void linesThatDifferOnlyInDigitsCaseAndUnicodePunctuationAreDuplicates() {
        Document a = doc("a", "Posted on 12/05/2019 — News\nFirst text stays.");
        Document b = doc("b", "posted on 30/06/2021  news\nSecond text stays.");
        DocumentStage decide = dedup(List.of(List.of(a, b)));
        assertEquals("First text stays.", ((Outcome.Keep) decide.apply(a)).document().text());
        assertEquals("Second text stays.", ((Outcome.Keep) decide.apply(b)).document().text());
    }

    @Test
    void normalizationKeepsAsciiPunctuationAndAccentsAndDeletesControlCharacters() {
        assertEquals("café, 00:00!", CcnetNormalizer.forDedup("  Café, 12:30!\u0007 "));
        assertEquals("0 - 0", CcnetNormalizer.forDedup("١ - ٢"));
        assertEquals("quoted", CcnetNormalizer.forDedup("«quoted»"));
    }

    @Test
    void theHashIsTheLittleEndianPrefixOfSha1() {
        // sha1("hello") = aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d; the first 8 bytes read little-endian.
        assertEquals(0xa2e8c5dc1dc6f4aaL, new LineHash().of("Hello"));
    }
}
