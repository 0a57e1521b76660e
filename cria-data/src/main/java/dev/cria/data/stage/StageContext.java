package dev.cria.data.stage;

import java.nio.file.Path;

/**
 * What a stage may ask of the engine running it.
 *
 * @param recipeDir folder of the recipe file: relative paths in stage parameters (models, word lists) resolve against it
 * @param seed the recipe's seed, for stages that sample
 */
public record StageContext(Path recipeDir, long seed) {
}
