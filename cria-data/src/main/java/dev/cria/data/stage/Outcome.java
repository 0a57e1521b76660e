package dev.cria.data.stage;

import dev.cria.data.Document;

/** What a {@link DocumentStage} did with one document: kept it (possibly changed) or dropped it, saying why. */
public sealed interface Outcome {

    record Keep(Document document) implements Outcome {
    }

    /** @param reason a short stable key for the funnel, e.g. {@code too_few_words} or {@code lang_not_en} */
    record Drop(String reason) implements Outcome {
    }

    static Outcome keep(Document document) {
        return new Keep(document);
    }

    static Outcome drop(String reason) {
        return new Drop(reason);
    }
}
