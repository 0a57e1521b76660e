package dev.cria.data.stage.filter;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.text.PythonText;
import dev.cria.data.text.WordTokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Gopher repetition rules as datatrove applies them (DATA-RULES §11.3): repeated paragraphs and lines (by count
 * and by characters), the most frequent 2-, 3- and 4-gram, and the characters inside repeated 5- to 10-grams.
 */
public final class GopherRepetition implements DocumentStage {

    private static final long serialVersionUID = 1L;

    private static final Pattern PARAGRAPHS = Pattern.compile("\\n{2,}");
    private static final Pattern LINES = Pattern.compile("\\n+");
    private static final double[] TOP_NGRAM_LIMIT = {0, 0, 0.20, 0.18, 0.16};
    private static final double[] REPEATED_NGRAM_LIMIT = {0, 0, 0, 0, 0, 0.15, 0.14, 0.13, 0.12, 0.11, 0.10};

    @Override
    public String name() {
        return "gopher_repetition";
    }

    @Override
    public Outcome apply(Document document) {
        String text = document.text();
        double length = PythonText.length(text);
        if (length == 0) {
            return Outcome.drop("empty");
        }
        List<String> paragraphs = Arrays.asList(PARAGRAPHS.split(PythonText.strip(text), -1));
        Duplicates.Count para = Duplicates.of(paragraphs);
        if ((double) para.elements() / paragraphs.size() > 0.30) {
            return Outcome.drop("dup_para_frac");
        }
        if (para.chars() / length > 0.20) {
            return Outcome.drop("dup_para_char_frac");
        }
        List<String> lines = Arrays.asList(LINES.split(text, -1));
        Duplicates.Count line = Duplicates.of(lines);
        if ((double) line.elements() / lines.size() > 0.30) {
            return Outcome.drop("dup_line_frac");
        }
        if (line.chars() / length > 0.20) {
            return Outcome.drop("dup_line_char_frac");
        }
        List<String> words = WordTokenizer.words(text);
        for (int n = 2; n <= 4; n++) {
            if (Duplicates.topNgramChars(words, n) / length > TOP_NGRAM_LIMIT[n]) {
                return Outcome.drop("top_" + n + "_gram");
            }
        }
        for (int n = 5; n <= 10; n++) {
            if (Duplicates.repeatedNgramChars(words, n) / length > REPEATED_NGRAM_LIMIT[n]) {
                return Outcome.drop("duplicated_" + n + "_n_grams");
            }
        }
        return Outcome.keep(document);
    }
}
