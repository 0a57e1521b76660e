package dev.cria.data.stage.filter;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.text.PythonText;
import dev.cria.data.text.WordTokenizer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Gopher quality rules (Rae et al. 2021) as datatrove applies them (DATA-RULES §11.2), thresholds as there:
 * 50 to 100,000 non-symbol words, their mean length 3 to 10, {@code #} and ellipses at most 0.1 per word, at most
 * 90 % bullet lines and 30 % lines ending in an ellipsis, at least 80 % of words with a letter, and at least two
 * distinct stop words of {the, be, to, of, and, that, have, with}.
 */
public final class GopherQuality implements DocumentStage {

    private static final long serialVersionUID = 1L;

    private static final Set<String> STOP_WORDS = Set.of("the", "be", "to", "of", "and", "that", "have", "with");

    @Override
    public String name() {
        return "gopher_quality";
    }

    @Override
    public Outcome apply(Document document) {
        String text = document.text();
        List<String> words = WordTokenizer.words(text);
        int nonSymbolWords = 0;
        long nonSymbolChars = 0;
        int alphaWords = 0;
        Set<String> stopWords = new HashSet<>();
        for (String w : words) {
            if (!isSymbolWord(w)) {
                nonSymbolWords++;
                nonSymbolChars += PythonText.length(w);
            }
            if (PythonText.containsAlpha(w)) {
                alphaWords++;
            }
            String lower = w.toLowerCase(Locale.ROOT);
            if (STOP_WORDS.contains(lower)) {
                stopWords.add(lower);
            }
        }
        if (nonSymbolWords < 50) {
            return Outcome.drop("gopher_short_doc");
        }
        if (nonSymbolWords > 100_000) {
            return Outcome.drop("gopher_long_doc");
        }
        double meanLength = (double) nonSymbolChars / nonSymbolWords;
        if (meanLength < 3) {
            return Outcome.drop("gopher_below_avg_word_length");
        }
        if (meanLength > 10) {
            return Outcome.drop("gopher_above_avg_word_length");
        }
        if ((double) count(text, "#") / nonSymbolWords > 0.1) {
            return Outcome.drop("gopher_too_many_hashes");
        }
        if ((double) (count(text, "...") + count(text, "\u2026")) / nonSymbolWords > 0.1) {
            return Outcome.drop("gopher_too_many_ellipsis");
        }
        List<String> lines = PythonText.splitlines(text);
        int bullets = 0;
        int ellipsisEnds = 0;
        for (String line : lines) {
            String left = PythonText.lstrip(line);
            if (left.startsWith("\u2022") || left.startsWith("-")) {
                bullets++;
            }
            String right = PythonText.rstrip(line);
            if (right.endsWith("...") || right.endsWith("\u2026")) {
                ellipsisEnds++;
            }
        }
        if (!lines.isEmpty() && (double) bullets / lines.size() > 0.9) {
            return Outcome.drop("gopher_too_many_bullets");
        }
        if (!lines.isEmpty() && (double) ellipsisEnds / lines.size() > 0.3) {
            return Outcome.drop("gopher_too_many_end_ellipsis");
        }
        if ((double) alphaWords / words.size() < 0.8) {
            return Outcome.drop("gopher_below_alpha_threshold");
        }
        if (stopWords.size() < 2) {
            return Outcome.drop("gopher_enough_stop_words");
        }
        return Outcome.keep(document);
    }

    private static boolean isSymbolWord(String w) {
        for (int i = 0; i < w.length(); ) {
            int c = w.codePointAt(i);
            if (!WordTokenizer.isPunctuation(c)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
