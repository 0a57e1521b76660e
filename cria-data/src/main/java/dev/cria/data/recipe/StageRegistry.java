package dev.cria.data.recipe;

import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * From the stage names a recipe uses to the factories that build them. {@link Stages#builtIn()} lists every stage
 * Cria ships; a program can add its own with {@link #perDocument} and {@link #global}.
 */
public final class StageRegistry {
    private final Map<String, Function<StageParams, PlannedStage>> factories = new TreeMap<>();

    /** Registers a per-document stage (filter or map) under {@code name}. */
    public StageRegistry perDocument(String name, Function<StageParams, ? extends DocumentStage> factory) {
        return add(name, p -> new PlannedStage.PerDocument(factory.apply(p)));
    }

    /** Registers a global stage (a dedup that sees all shards before deciding) under {@code name}. */
    public StageRegistry global(String name, Function<StageParams, ? extends GlobalStage<?>> factory) {
        return add(name, p -> new PlannedStage.Global(factory.apply(p)));
    }

    private StageRegistry add(String name, Function<StageParams, PlannedStage> factory) {
        if (factories.putIfAbsent(name, factory) != null) {
            throw new IllegalArgumentException("stage \"" + name + "\" is registered twice");
        }
        return this;
    }

    public boolean contains(String name) {
        return factories.containsKey(name);
    }

    public java.util.Set<String> names() {
        return factories.keySet();
    }

    /** Builds the stage {@code name} from {@code params}; unknown names and unread parameters are errors. */
    public PlannedStage create(String name, StageParams params) {
        Function<StageParams, PlannedStage> factory = factories.get(name);
        if (factory == null) {
            throw new RecipeException(params.where() + ": unknown stage \"" + name + "\" (known: "
                    + String.join(", ", factories.keySet()) + ")");
        }
        PlannedStage stage;
        try {
            stage = factory.apply(params);
        } catch (RecipeException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new RecipeException(params.where() + ": " + e.getMessage(), e);
        }
        params.requireAllUsed();
        return stage;
    }
}
