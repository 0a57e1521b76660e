package dev.cria.data.stage.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.StageContext;
import dev.cria.data.stage.dedup.C4UrlDedup;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** C4's own fake pages through Cria's C4 stages, with the outcomes TFDS's tests and DATA-RULES §3 predict. */
class C4FakePagesTest {

    private static Map<String, String> outcomes(List<Document> pages, DocumentStage stage) {
        Map<String, String> byUrl = new LinkedHashMap<>();
        for (Document page : pages) {
            Outcome o = stage.apply(page);
            byUrl.put((String) page.meta().get("url"), o instanceof Outcome.Drop d ? d.reason() : "kept");
        }
        return byUrl;
    }

    @Test
    void aPageOfOneSentenceHasTooFewSentences() throws IOException {
        Map<String, String> o = outcomes(FakeWetPages.read("cc_0.warc.wet"), new C4Quality());
        assertEquals("too_few_sentences", o.get("http://fake.com/url/2"));
        assertEquals("kept", o.get("http://fake.com/url/1"));
        assertEquals("kept", o.get("http://fake.com/url/de"));
    }

    @Test
    void thePageWithButtIsRemovedByTheEnglishListC4Pinned() throws IOException {
        C4BadWords badWords = new C4BadWords(SharedData.file("samples/c4_badwords/en_c4_pinned_25e679f").toString(), "en");
        badWords.open(new StageContext(null, 0));
        Map<String, String> o = outcomes(FakeWetPages.read("cc_1.warc.wet"), badWords);
        assertEquals("badword", o.get("http://fake.com/url/4"));
        assertEquals("kept", o.get("http://fake.com/url/370"));
    }

    @Test
    void theSecondPageWithTheSameUrlIsDroppedAndTheFirstKept() throws IOException {
        List<Document> all = new ArrayList<>(FakeWetPages.read("cc_0.warc.wet"));
        all.addAll(FakeWetPages.read("cc_1.warc.wet"));
        C4UrlDedup dedup = new C4UrlDedup();
        DocumentStage decide = runGlobal(dedup, all.subList(0, 6), all.subList(6, all.size()));
        List<String> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (Document d : all) {
            (decide.apply(d) instanceof Outcome.Keep ? kept : dropped).add(d.text().substring(0, 20));
        }
        assertEquals(List.of("This page has the sa"), dropped);
        assertEquals(8, kept.size());
    }

    @Test
    void theThreeLongParagraphPageSurvivesTheParagraphFilterAndShortPagesDoNot() throws IOException {
        Map<String, String> o = outcomes(FakeWetPages.read("cc_1.warc.wet"), new C4Paragraph());
        assertEquals("kept", o.get("http://fake.com/url/370"));
        assertEquals("short_paragraphs", o.get("http://fake.com/url/4"));
    }

    /** Two shards: observe each into its own summary, merge in shard order, decide. */
    static <S extends Serializable> DocumentStage runGlobal(GlobalStage<S> stage, List<Document> shard0, List<Document> shard1) {
        S first = stage.emptySummary();
        for (Document d : shard0) {
            first = stage.observe(first, d);
        }
        S second = stage.emptySummary();
        for (Document d : shard1) {
            second = stage.observe(second, d);
        }
        DocumentStage decide = stage.decide(stage.merge(first, second));
        assertInstanceOf(DocumentStage.class, decide);
        return decide;
    }
}
