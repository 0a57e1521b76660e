package dev.cria.data.recipe;

import dev.cria.data.stage.basic.LengthFilter;
import dev.cria.data.stage.basic.MetaFilter;
import dev.cria.data.stage.basic.Sample;

/**
 * Every stage a recipe can name. A new stage is one line here: {@code .perDocument("name", Factory::fromParams)} or
 * {@code .global("name", ...)}, where the factory reads its parameters from {@link StageParams}.
 */
public final class Stages {
    private Stages() {
    }

    public static StageRegistry builtIn() {
        StageRegistry registry = new StageRegistry()
                // CCNet's min_len (DATA-RULES §2.2): drop documents under 300 characters.
                .perDocument("min_len", p -> new LengthFilter("min_len", p.integer("chars", 300), Long.MAX_VALUE))
                // Bounds in characters either side, e.g. C4's 190,000-character limit (§3.1).
                .perDocument("length", p -> new LengthFilter("length", p.integer("min_chars", 0), p.integer("max_chars", Long.MAX_VALUE)))
                .perDocument("meta_filter", p -> new MetaFilter("meta_filter", p.requiredString("field"), p.strings("in")))
                .perDocument("sample", p -> new Sample(p.number("fraction", 1.0)));
        WebStages.register(registry);
        SourceStages.register(registry);
        return registry;
    }
}
