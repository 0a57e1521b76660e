package dev.cria.data.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scores on KenLM's own 3-gram ARPA against what KenLM's {@code query} printed for the same text. */
class KenlmQueryParityTest {
    private static NgramModel model;

    @BeforeAll
    static void load() throws IOException {
        model = NgramModel.readArpa(SharedData.file("lm/o3.arpa"));
    }

    @Test
    void readsTheHeaderCountsAndSpecialWords() {
        assertEquals(3, model.order());
        assertEquals(23372, model.count(1));
        assertEquals(110055, model.count(2));
        assertEquals(176560, model.count(3));
        assertEquals(23372, model.vocabulary().size());
        assertEquals(0, model.vocabulary().find("<unk>"));
        assertEquals(1, model.bosId());
        assertEquals(2, model.eosId());
    }

    @Test
    void lineTotalsAndOovCountsEqualQuery() throws IOException {
        List<String> expected = Files.readAllLines(SharedData.file("lm/o3.query.lines.tsv"));
        byte[] text = Files.readAllBytes(SharedData.file("lm/test.txt"));
        QueryScorer scorer = new QueryScorer(model);
        ByteLines lines = new ByteLines(new java.io.ByteArrayInputStream(text));
        int n = 0;
        while (lines.next()) {
            scorer.scoreLine(lines.buffer(), lines.start(), lines.end());
            String[] row = expected.get(++n).split("\t");
            assertEquals(Float.parseFloat(row[1]), scorer.lineTotal(), 1e-4, "total of line " + n);
            assertEquals(Integer.parseInt(row[2]), scorer.lineOov(), "OOVs of line " + n);
            assertEquals(Integer.parseInt(row[3]), scorer.lineTokens(), "tokens of line " + n);
        }
        assertEquals(2000, n);
        // query's summary lines
        assertEquals(688.4068602035309, scorer.perplexity(), 688.4068602035309 * 1e-9);
        assertEquals(325.5334548507186, scorer.perplexityExcludingOov(), 325.5334548507186 * 1e-9);
        assertEquals(2564, scorer.corpusOov());
        assertEquals(23357, scorer.corpusTokens());
    }

    @Test
    void everyWordHasQuerysIdNgramLengthAndScore() throws IOException {
        List<String> query = Files.readAllLines(SharedData.file("lm/o3.query.txt"));
        List<String> text = Files.readAllLines(SharedData.file("lm/test.txt"));
        LmState state = model.newState();
        LmState next = model.newState();
        int words = 0;
        for (int line = 0; line < text.size(); line++) {
            String[] printed = query.get(line).split("\t");
            model.beginSentence(state);
            for (int i = 0; i < printed.length - 1; i++) {
                String entry = printed[i];
                int eq = entry.lastIndexOf('=');
                String[] parts = entry.substring(eq + 1).split(" ");
                String word = entry.substring(0, eq);
                int id = word.equals("</s>") ? model.eosId() : model.vocabulary().index(word);
                float p = model.score(state, id, next);
                String where = "line " + (line + 1) + " word " + (i + 1) + " '" + word + "'";
                assertEquals(Integer.parseInt(parts[0]), id, where);
                assertEquals(Integer.parseInt(parts[1]), next.ngramLength(), where);
                assertEquals(Float.parseFloat(parts[2]), p, 1e-5, where);
                LmState t = state;
                state = next;
                next = t;
                words++;
            }
            assertTrue(printed[printed.length - 1].startsWith("Total: "));
        }
        assertEquals(23357, words);
    }

    @Test
    void emptyLineScoresEndOfSentenceAfterBeginOfSentence() {
        QueryScorer scorer = new QueryScorer(model);
        byte[] blank = " \t ".getBytes(StandardCharsets.UTF_8);
        scorer.scoreLine(blank, 0, blank.length);
        // the ARPA's bigram "<s> </s>" is absent: backoff(<s>) + p(</s>)
        assertEquals(-0.5183238f + -1.2330251f, scorer.lineTotal(), 1e-6);
        assertEquals(1, scorer.lineTokens());
    }

    static Path arpa() {
        return SharedData.file("lm/o3.arpa");
    }
}
