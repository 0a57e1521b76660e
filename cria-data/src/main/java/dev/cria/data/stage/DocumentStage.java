package dev.cria.data.stage;

import dev.cria.data.Document;
import java.io.Serializable;

/**
 * A per-document step of a recipe: a filter, a map, or both. The engine counts documents and bytes in, kept and
 * dropped per reason, so the stage only says what happened.
 *
 * <p>Stages hold serializable configuration and no static state, so the local engine and a Spark engine run the same
 * object. Heavy state (a language-ID model, an n-gram model) is loaded in {@link #open} on each worker and kept in
 * transient fields. {@link #apply} may be called from several threads at once after {@code open} returned, and gives
 * the same result for the same document every time (seeded when it samples).
 */
public interface DocumentStage extends Serializable {

    /** The name in the funnel and in recipe files, e.g. {@code c4_quality}. */
    String name();

    /** Loads what the stage needs; called once per worker before the first {@link #apply}. */
    default void open(StageContext context) {
    }

    Outcome apply(Document document);
}
