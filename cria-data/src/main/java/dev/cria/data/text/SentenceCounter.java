package dev.cria.data.text;

import java.util.Locale;
import java.util.Set;

/**
 * Counts English sentences the way C4's use of NLTK's Punkt tokenizer does in the common cases: a sentence ends at
 * {@code .}, {@code ?} or {@code !} (with any closing quotes or brackets after it) followed by whitespace, unless
 * the period closes a known abbreviation, an initial ("J."), or a number ("3.5" never splits: no whitespace).
 * Punkt learns its abbreviations from data; this list holds the ones its English model knows best. A line with
 * text and no final mark is one sentence.
 */
public final class SentenceCounter {

    private static final Set<String> ABBREVIATIONS = Set.of(
            "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "inc", "ltd", "co", "corp",
            "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vol", "fig",
            "gen", "gov", "sen", "rep", "rev", "mt", "ft", "u.s", "u.k", "a.m", "p.m", "al", "approx", "dept", "est",
            "col", "capt", "lt", "sgt", "cf", "ed", "eds", "p", "pp");

    private SentenceCounter() {
    }

    public static int count(String text) {
        int sentences = 0;
        boolean content = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '.' || c == '?' || c == '!') {
                int end = i + 1;
                while (end < n && (text.charAt(end) == '.' || text.charAt(end) == '?' || text.charAt(end) == '!')) {
                    end++;
                }
                while (end < n && isCloser(text.charAt(end))) {
                    end++;
                }
                boolean boundary = end == n || Character.isWhitespace(text.charAt(end));
                if (boundary && content && !(c == '.' && end == i + 1 && abbreviationBefore(text, i))) {
                    sentences++;
                    content = false;
                }
                i = end - 1;
            } else if (Character.isLetterOrDigit(c)) {
                content = true;
            }
        }
        return content ? sentences + 1 : sentences;
    }

    private static boolean isCloser(char c) {
        return c == '"' || c == '\'' || c == ')' || c == ']' || c == '\u201D' || c == '\u2019';
    }

    private static boolean abbreviationBefore(String text, int period) {
        int start = period;
        while (start > 0 && !Character.isWhitespace(text.charAt(start - 1)) && text.charAt(start - 1) != '(') {
            start--;
        }
        String token = text.substring(start, period).toLowerCase(Locale.ROOT);
        if (token.isEmpty()) {
            return false;
        }
        if (token.length() == 1 && Character.isLetter(token.charAt(0))) {
            return true;
        }
        return ABBREVIATIONS.contains(token);
    }
}
