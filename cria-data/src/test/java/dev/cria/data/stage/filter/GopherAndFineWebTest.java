package dev.cria.data.stage.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.cria.data.Document;
import dev.cria.data.stage.Outcome;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GopherAndFineWebTest {

    private static Document doc(String text) {
        return new Document("d", text, "test", Map.of());
    }

    private static final String PROSE = """
            The members of the committee have agreed that the report should be sent to the council before the end of the month.
            It is important to note that the proposal was discussed at length, and that the views of all groups were heard.
            We believe that this approach will help the member states to cooperate with each other and with the commission.
            The rapporteur thanked the secretariat for the work that it had done to prepare the text in time for the vote.
            """;

    @Test
    void ordinaryProsePassesEveryFilter() {
        assertInstanceOf(Outcome.Keep.class, new GopherQuality().apply(doc(PROSE)));
        assertInstanceOf(Outcome.Keep.class, new GopherRepetition().apply(doc(PROSE)));
        assertInstanceOf(Outcome.Keep.class, new FineWebQuality().apply(doc(PROSE)));
    }

    @Test
    void aShortPageHasTooFewWords() {
        assertEquals(new Outcome.Drop("gopher_short_doc"), new GopherQuality().apply(doc("Only a few words are here.")));
    }

    @Test
    void aPageWithoutStopWordsIsDropped() {
        String text = "alpha beta gamma delta epsilon zeta eta theta iota kappa ".repeat(6);
        assertEquals(new Outcome.Drop("gopher_enough_stop_words"), new GopherQuality().apply(doc(text)));
    }

    @Test
    void aPageOfBulletsIsDropped() {
        String text = "- the item number one and the rest of its line with some words\n".repeat(20);
        assertEquals(new Outcome.Drop("gopher_too_many_bullets"), new GopherQuality().apply(doc(text)));
    }

    @Test
    void repeatedLinesAreCaughtByCountAndTheFirstCopyIsNotCounted() {
        String text = PROSE + "Subscribe to the newsletter today.\n".repeat(4);
        assertEquals(new Outcome.Drop("dup_line_frac"), new GopherRepetition().apply(doc(text)));
        assertEquals(3, Duplicates.of(java.util.List.of("a", "a", "a", "a")).elements());
    }

    @Test
    void aRepeatedPhraseTripsTheTopNgramRule() {
        String text = "buy cheap shoes now and buy cheap shoes now and buy cheap shoes now and buy cheap shoes now "
                + "while the stock lasts in the store";
        assertEquals(new Outcome.Drop("top_2_gram"), new GopherRepetition().apply(doc(text)));
    }

    @Test
    void aListOfShortLinesIsDroppedByFineWeb() {
        String text = "Home.\nAbout us.\nContact.\nProducts.\nBlog.\nShop.\nHelp.\nLogin.\nThe company sells good shoes to everyone in the whole wide world.\n";
        assertEquals(new Outcome.Drop("short_line_ratio"), new FineWebQuality().apply(doc(text)));
    }
}
