package dev.cria.data.quality;

import dev.cria.data.Document;
import dev.cria.data.text.PythonText;
import java.io.IOException;
import java.io.Writer;
import java.util.Iterator;

/**
 * The training file of the Wikipedia-reference classifier as RedPajama's {@code create_corpus.py} builds it
 * (DATA-RULES §2.8 step 3): one fastText line per document, {@code __label__wiki TEXT} for the pages Wikipedia cites
 * (CCNet-processed, head and middle buckets) whose text has at least 1000 characters, then {@code __label__cc TEXT}
 * for as many random CCNet pages as there were positives; TEXT is the document's lines, stripped, joined by one space.
 * RedPajama's intended digest dedup of the positives never ran (it stored a constant key, §14.11), so none is done
 * here either: deduplicate the inputs first ({@code exact_dedup}) if that is wanted.
 */
public final class WikiReferenceCorpus {

    /** RedPajama's minimum length of a positive page, in characters. */
    public static final int MIN_POSITIVE_CHARS = 1000;

    /** What was written. */
    public record Counts(long positives, long negatives, long shortPositivesSkipped) {
    }

    private WikiReferenceCorpus() {
    }

    /**
     * Writes the positives (pages of at least {@link #MIN_POSITIVE_CHARS} characters) and then at most as many
     * negatives, in the order given.
     */
    public static Counts write(Iterator<Document> positives, Iterator<Document> negatives, String positiveLabel,
                               String negativeLabel, Writer out) throws IOException {
        long pos = 0;
        long skipped = 0;
        while (positives.hasNext()) {
            Document d = positives.next();
            if (PythonText.length(d.text()) < MIN_POSITIVE_CHARS) {
                skipped++;
                continue;
            }
            line(positiveLabel, d, out);
            pos++;
        }
        long neg = 0;
        while (neg < pos && negatives.hasNext()) {
            line(negativeLabel, negatives.next(), out);
            neg++;
        }
        return new Counts(pos, neg, skipped);
    }

    /** With RedPajama's labels {@code wiki} and {@code cc}. */
    public static Counts write(Iterator<Document> positives, Iterator<Document> negatives, Writer out) throws IOException {
        return write(positives, negatives, "wiki", "cc", out);
    }

    private static void line(String label, Document d, Writer out) throws IOException {
        out.write("__label__");
        out.write(label);
        out.write(' ');
        out.write(WikiReferenceFilter.classifierText(d.text()));
        out.write('\n');
    }
}
