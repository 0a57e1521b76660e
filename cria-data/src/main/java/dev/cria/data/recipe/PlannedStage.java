package dev.cria.data.recipe;

import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;

/** A stage as the engine runs it: per document, or global (two passes). */
public sealed interface PlannedStage {

    String name();

    record PerDocument(DocumentStage stage) implements PlannedStage {
        @Override
        public String name() {
            return stage.name();
        }
    }

    record Global(GlobalStage<?> stage) implements PlannedStage {
        @Override
        public String name() {
            return stage.name();
        }
    }
}
