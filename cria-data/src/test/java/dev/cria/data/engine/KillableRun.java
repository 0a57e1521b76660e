package dev.cria.data.engine;

import dev.cria.data.recipe.Recipe;
import dev.cria.data.recipe.RecipeLoader;
import dev.cria.data.recipe.Stages;
import java.nio.file.Path;

/** A slow run in its own process, for {@link ResumeTest} to kill: {@code KillableRun RECIPE OUTPUT}. */
public final class KillableRun {
    private KillableRun() {
    }

    public static void main(String[] args) throws Exception {
        Recipe recipe = RecipeLoader.load(Path.of(args[0]), Stages.builtIn());
        RunPlan plan = RunPlan.of(recipe, Stages.builtIn());
        // The engine reports progress once per shard here (8 documents), after writing and before the rename: a pause
        // there makes a kill land between a shard's temporary files and its commit.
        RunProgress slow = new RunProgress() {
            @Override
            public void phase(String name, long totalBytes) {
            }

            @Override
            public void advance(long bytes, long documents) {
                if (documents > 0) {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            @Override
            public void done() {
            }
        };
        new LocalEngine(plan, Path.of(args[1]), 1, slow).run();
    }
}
