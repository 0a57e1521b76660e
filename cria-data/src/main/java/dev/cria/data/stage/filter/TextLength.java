package dev.cria.data.stage.filter;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.text.PythonText;

/**
 * Keeps documents whose text length in code points lies in {@code [min, max]}: CCNet's {@code min_len} of 300
 * (DATA-RULES §2.2) and C4's page limit of 190,000 characters (§3.1 step 2).
 */
public final class TextLength implements DocumentStage {

    private static final long serialVersionUID = 1L;

    private final int min;
    private final int max;

    public TextLength(int min, int max) {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("text_length needs 0 <= min <= max, got min " + min + ", max " + max);
        }
        this.min = min;
        this.max = max;
    }

    @Override
    public String name() {
        return "text_length";
    }

    @Override
    public Outcome apply(Document document) {
        int length = PythonText.length(document.text());
        if (length < min) {
            return Outcome.drop("shorter_than_" + min);
        }
        if (length > max) {
            return Outcome.drop("longer_than_" + max);
        }
        return Outcome.keep(document);
    }
}
