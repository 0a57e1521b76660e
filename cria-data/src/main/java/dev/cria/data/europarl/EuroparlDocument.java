package dev.cria.data.europarl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of the Europarl corpus: {@code title<TAB>date<TAB>body}.
 *
 * <p>The corpus carries no language label; a body is an excerpt of one debate in one of the 21 EU
 * languages, cut at about 1.1 KB, often mid-sentence.
 *
 * @param lineNumber 1-based line of the source file
 * @param title the debate's title
 * @param date the sitting's date as written in the file ({@code yyyy-MM-dd})
 * @param body the excerpt; paragraphs are separated by runs of three or more spaces
 */
public record EuroparlDocument(int lineNumber, String title, String date, String body) {

    /** The corpus marks a paragraph break with a run of at least three spaces; one or two are ordinary spacing. */
    private static final Pattern PARAGRAPH_BREAK = Pattern.compile(" {3,}");

    public EuroparlDocument {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(body, "body");
    }

    /** The body's paragraphs: split on runs of three or more spaces, each trimmed, empty ones dropped. */
    public List<String> paragraphs() {
        List<String> paragraphs = new ArrayList<>();
        for (String part : PARAGRAPH_BREAK.split(body)) {
            String paragraph = part.strip();
            if (!paragraph.isEmpty()) {
                paragraphs.add(paragraph);
            }
        }
        return paragraphs;
    }
}
