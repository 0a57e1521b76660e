package dev.cria.data.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.data.Document;
import dev.cria.data.lid.FastTextClassifier;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.StageContext;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Wikipedia-reference classifier end to end on two kinds of documents: real CCNet web pages
 * ({@code ccnet_output}) stand in for the pages Wikipedia cites, chapters of Peter Pan ({@code lm/}) for the random
 * pages. The classifier is trained on 10 pages and 10 chapters and must tell 5 held-out pages from 20 held-out
 * chapters.
 */
class WikiReferenceFilterTest {

    @TempDir
    Path tmp;

    @Test
    void theTrainingFileHasOneLabelledLinePerDocumentWithLinesJoinedBySpaces() throws IOException {
        Document positive = new Document("p", "  First line  \n\tsecond line\n" + "x".repeat(1000), "cc", Map.of());
        Document shortPositive = new Document("s", "too short", "cc", Map.of());
        Document negative = new Document("n", "one\ntwo", "cc", Map.of());
        StringWriter out = new StringWriter();
        WikiReferenceCorpus.Counts c = WikiReferenceCorpus.write(List.of(positive, shortPositive).iterator(),
                List.of(negative, negative).iterator(), out);
        assertEquals(new WikiReferenceCorpus.Counts(1, 1, 1), c);
        assertEquals("__label__wiki First line second line " + "x".repeat(1000) + "\n__label__cc one two\n", out.toString());
    }

    @Test
    void trainedOnTwoSetsItKeepsHeldOutPagesOfTheWikiSideAndDropsTheOthers() throws IOException {
        WikiReferenceFilter filter = new WikiReferenceFilter(WikiReferenceFixtures.trainModel(tmp).toString(), "wiki", 0.25);
        filter.open(new StageContext(null, 0));
        int keptPages = 0;
        for (Document d : WikiReferenceFixtures.heldOutSplit(true)) {
            Outcome o = filter.apply(d);
            if (o instanceof Outcome.Keep k) {
                keptPages++;
                assertTrue((double) k.document().meta().get("wiki_prob") >= 0.25);
            }
        }
        int keptBook = 0;
        for (Document d : WikiReferenceFixtures.book("test.txt", 20)) {
            Outcome o = filter.apply(d);
            if (o instanceof Outcome.Keep) {
                keptBook++;
            } else {
                assertEquals("not_wiki_reference", assertInstanceOf(Outcome.Drop.class, o).reason());
            }
        }
        // Measured: the 5 pages score 0.995 to 0.99998; 18 of the 20 chapters score under 0.17, two 0.66 and 0.96.
        assertEquals(5, keptPages, "held-out web pages kept");
        assertTrue(keptBook <= 3, "held-out book chapters kept: " + keptBook + " of 20");
    }

    @Test
    void wikiProbIsOneMinusPWhenTheTopLabelIsTheOtherOne() throws IOException {
        Path model = WikiReferenceFixtures.trainModel(tmp);
        FastTextClassifier classifier = FastTextClassifier.load(model);
        WikiReferenceFilter filter = new WikiReferenceFilter(classifier, "wiki", 0.0);
        Document chapter = WikiReferenceFixtures.book("test.txt", 1).getFirst();
        var top = classifier.predict(WikiReferenceFilter.classifierText(chapter.text()), 1, 0.0).getFirst();
        assertEquals("cc", top.language());
        assertEquals(1 - top.probability(), filter.wikiProbability(chapter.text()), 0.0);
        // A threshold of 0 keeps everything and records the probability.
        Outcome.Keep kept = assertInstanceOf(Outcome.Keep.class, filter.apply(chapter));
        assertEquals(1 - top.probability(), (double) kept.document().meta().get("wiki_prob"), 0.0);
    }
}
