package dev.cria.data.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Words as datatrove's English word tokenizer gives them, to the precision the Gopher and FineWeb filters need:
 * whitespace separates words, and punctuation at a word's edges becomes tokens of its own ("end." → "end", ".").
 * Apostrophes and hyphens inside a word stay ("don't", "well-known").
 */
public final class WordTokenizer {

    private WordTokenizer() {
    }

    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String chunk : PythonText.splitWhitespace(text)) {
            int from = 0;
            int to = chunk.length();
            List<String> trailing = new ArrayList<>();
            while (from < to && isPunctuation(chunk.codePointAt(from))) {
                int cp = chunk.codePointAt(from);
                out.add(new String(Character.toChars(cp)));
                from += Character.charCount(cp);
            }
            while (to > from && isPunctuation(chunk.codePointBefore(to))) {
                int cp = chunk.codePointBefore(to);
                trailing.add(0, new String(Character.toChars(cp)));
                to -= Character.charCount(cp);
            }
            if (to > from) {
                out.add(chunk.substring(from, to));
            }
            out.addAll(trailing);
        }
        return out;
    }

    /** Unicode punctuation and symbols (general categories P* and S*). */
    public static boolean isPunctuation(int c) {
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                 Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }
}
