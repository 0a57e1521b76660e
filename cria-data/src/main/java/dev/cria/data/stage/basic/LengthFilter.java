package dev.cria.data.stage.basic;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;

/**
 * Drops documents whose text is shorter than {@code minChars} ({@code too_short}) or longer than {@code maxChars}
 * ({@code too_long}), counted in code points as Python's {@code len} counts them (DATA-RULES §14): CCNet's
 * {@code min_len} 300 (§2.2) and C4's 190,000-character page limit (§3.1 step 2) are both this filter.
 */
public record LengthFilter(String name, long minChars, long maxChars) implements DocumentStage {

    public LengthFilter {
        if (minChars < 0 || maxChars < minChars) {
            throw new IllegalArgumentException("length bounds must satisfy 0 <= min_chars <= max_chars, got " + minChars
                    + " and " + maxChars);
        }
    }

    @Override
    public Outcome apply(Document document) {
        String text = document.text();
        // length() bounds the code point count from above and is at most twice it: skip the count when it cannot matter.
        if (text.length() < minChars) {
            return Outcome.drop("too_short");
        }
        if (text.length() / 2 > maxChars) {
            return Outcome.drop("too_long");
        }
        long n = text.codePointCount(0, text.length());
        if (n < minChars) {
            return Outcome.drop("too_short");
        }
        if (n > maxChars) {
            return Outcome.drop("too_long");
        }
        return Outcome.keep(document);
    }
}
