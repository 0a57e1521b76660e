package dev.cria.data.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Malformed ARPA files fail with the file, the line and what was expected there. */
class ArpaFormatErrorsTest {
    private static final String GOOD = """
            \\data\\
            ngram 1=4
            ngram 2=2

            \\1-grams:
            -1.0\t<unk>\t0
            0\t<s>\t-0.5
            -0.5\t</s>\t0
            -0.4\ta\t-0.2

            \\2-grams:
            -0.3\t<s> a
            -0.2\ta </s>

            \\end\\
            """;

    private static NgramModel read(String arpa) throws IOException {
        return ArpaReader.read(new ByteArrayInputStream(arpa.getBytes(StandardCharsets.UTF_8)), "test.arpa");
    }

    private static ArpaFormatException failure(String arpa) {
        return assertThrows(ArpaFormatException.class, () -> read(arpa));
    }

    @Test
    void readsAWellFormedFile() throws IOException {
        NgramModel m = read(GOOD);
        assertEquals(2, m.order());
        QueryScorer q = new QueryScorer(m);
        byte[] line = "a".getBytes(StandardCharsets.UTF_8);
        q.scoreLine(line, 0, 1);
        assertEquals(-0.3f + -0.2f, q.lineTotal(), 1e-7);
    }

    @Test
    void readsGzippedFilesAndCountsALiteralUnkAsOutOfVocabulary(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        java.nio.file.Path gz = dir.resolve("m.arpa.gz");
        try (var out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(gz))) {
            out.write(GOOD.getBytes(StandardCharsets.UTF_8));
        }
        NgramModel m = NgramModel.readArpa(gz);
        QueryScorer q = new QueryScorer(m);
        byte[] line = "a <unk> zebra".getBytes(StandardCharsets.UTF_8);
        q.scoreLine(line, 0, line.length);
        assertEquals(2, q.lineOov());
        assertEquals(4, q.lineTokens());
    }

    @Test
    void truncatedFileNamesTheSectionAndHowManyEntriesWereRead() {
        String truncated = GOOD.substring(0, GOOD.indexOf("-0.2\ta </s>"));
        ArpaFormatException e = failure(truncated);
        assertEquals("test.arpa", e.file());
        assertTrue(e.getMessage().contains("ends in the \\2-grams: section after 1 of the 2"), e.getMessage());
    }

    @Test
    void fewerEntriesThanTheHeaderCountIsReportedAtTheLineWhereTheSectionEnds() {
        ArpaFormatException e = failure(GOOD.replace("ngram 1=4", "ngram 1=5"));
        assertEquals(10, e.line());
        assertTrue(e.getMessage().startsWith("test.arpa:10: the \\1-grams: section has 4 n-grams but the header announces 5"),
                e.getMessage());
    }

    @Test
    void moreEntriesThanTheHeaderCountIsReported() {
        ArpaFormatException e = failure(GOOD.replace("ngram 1=4", "ngram 1=3"));
        assertEquals(9, e.line());
        assertTrue(e.getMessage().contains("the \\1-grams: section has more n-grams than the header's 3"), e.getMessage());
    }

    @Test
    void missingEndMarkerIsReported() {
        ArpaFormatException e = failure(GOOD.replace("\\end\\\n", ""));
        assertTrue(e.getMessage().contains("without \\end\\"), e.getMessage());
    }

    @Test
    void badNumbersAndUnknownWordsNameTheirLine() {
        ArpaFormatException bad = failure(GOOD.replace("-0.4\ta", "minus\ta"));
        assertEquals(9, bad.line());
        assertTrue(bad.getMessage().contains("expected a log10 probability, found 'minus'"), bad.getMessage());

        ArpaFormatException unknown = failure(GOOD.replace("-0.2\ta </s>", "-0.2\tb </s>"));
        assertEquals(13, unknown.line());
        assertTrue(unknown.getMessage().contains("word 'b'"), unknown.getMessage());

        ArpaFormatException arity = failure(GOOD.replace("-0.3\t<s> a", "-0.3\t<s>"));
        assertEquals(12, arity.line());
    }

    @Test
    void headerOrdersMustCountUpFromOne() {
        ArpaFormatException e = failure(GOOD.replace("ngram 2=2", "ngram 3=2"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("expected the count of order 2"), e.getMessage());
    }

    @Test
    void notAnArpaFileAtAll() {
        ArpaFormatException e = failure("hello\nworld\n");
        assertTrue(e.getMessage().contains("no \\data\\ header"), e.getMessage());
    }

    @Test
    void missingUnkScoresMinusOneHundredAsInKenlm() throws IOException {
        NgramModel m = read(GOOD.replace("ngram 1=4", "ngram 1=3").replace("-1.0\t<unk>\t0\n", ""));
        assertEquals(ArpaReader.MISSING_UNK_LOG_PROB, m.unigramLogProb(LmVocabulary.UNK));
    }
}
