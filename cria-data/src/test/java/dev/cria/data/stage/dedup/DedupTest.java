package dev.cria.data.stage.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import dev.cria.data.stage.Outcome;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DedupTest {

    private static Document doc(String id, String text) {
        return new Document(id, text, "web", Map.of("url", "http://example.org/" + id));
    }

    private static <S extends Serializable> DocumentStage run(GlobalStage<S> stage, List<Document> docs) {
        S half1 = stage.emptySummary();
        S half2 = stage.emptySummary();
        for (int i = 0; i < docs.size(); i++) {
            if (i < docs.size() / 2) {
                half1 = stage.observe(half1, docs.get(i));
            } else {
                half2 = stage.observe(half2, docs.get(i));
            }
        }
        return stage.decide(stage.merge(half1, half2));
    }

    private static final String STORY = "Once upon a time a small fox lived at the edge of a large forest near a quiet "
            + "village where the farmers grew wheat and barley and every autumn the children gathered apples from the "
            + "old trees along the river while their parents sold bread at the market in the town square";

    @Test
    void nearDuplicatesFormOneClusterAndTheFirstIsKept() {
        Document original = doc("a", STORY);
        Document edited = doc("b", STORY.replace("small fox", "small Fox!") + " today");
        Document other = doc("c", "The parliament adopted the resolution on fisheries after a long debate about quotas "
                + "and the commission promised a new proposal on the protection of young fish in the northern seas soon");
        DocumentStage decide = run(new MinHashDedup(), List.of(original, other, edited));
        assertEquals(2, ((Outcome.Keep) decide.apply(original)).document().meta().get("minhash_cluster_size"));
        assertEquals(new Outcome.Drop("near_duplicate"), decide.apply(edited));
        assertInstanceOf(Outcome.Keep.class, decide.apply(other));
        assertEquals(List.of(2), ((MinHashDedup.Clusters) decide).duplicateClusterSizes());
    }

    @Test
    void simplifiedTextHasNoPunctuationAccentsOrDigitRuns() {
        assertEquals("cafe costs 0 euros 0 cents", MinHashDedup.simplify("Café costs 12 euros, 50 cents!"));
    }

    @Test
    void exactDuplicatesKeepTheFirstInShardOrder() {
        Document a = doc("a", "same text");
        Document b = doc("b", "other text");
        Document c = doc("c", "same text");
        DocumentStage decide = run(new ExactDedup(null), List.of(a, b, c));
        assertInstanceOf(Outcome.Keep.class, decide.apply(a));
        assertInstanceOf(Outcome.Keep.class, decide.apply(b));
        assertEquals(new Outcome.Drop("exact_duplicate"), decide.apply(c));
    }

    @Test
    void c4NormalizesUrlsBeforeGrouping() {
        assertEquals("example.org/page", C4UrlDedup.normalizeUrl("https://www.example.org/page/?utm_source=x"));
        assertEquals("example.org/page", C4UrlDedup.normalizeUrl("http://example.org/page?ref=home"));
    }

    @Test
    void c4LineDedupGivesEachLineToOnePageAndDropsPagesLeftTooShort() {
        String shared = "This sentence appears on two pages.";
        Document a = doc("a", shared + "\nPage a has its own line. And a second one. And a third.");
        Document b = doc("b", shared + "\nPage b has one line only.");
        DocumentStage decide = run(new C4LineDedup(), List.of(a, b));
        boolean aOwns = Long.compareUnsigned(Digests.md5("http://example.org/a"), Digests.md5("http://example.org/b")) < 0;
        Outcome oa = decide.apply(a);
        Outcome ob = decide.apply(b);
        if (aOwns) {
            assertEquals(a.text(), ((Outcome.Keep) oa).document().text());
            assertEquals(new Outcome.Drop("too_few_sentences_after_dedup"), ob);
        } else {
            assertEquals("Page a has its own line. And a second one. And a third.", ((Outcome.Keep) oa).document().text());
        }
    }
}
