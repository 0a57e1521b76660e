package dev.cria.data.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cria.data.recipe.PlannedStage;
import dev.cria.data.recipe.Recipe;
import dev.cria.data.recipe.RecipeException;
import dev.cria.data.recipe.RecipeLoader;
import dev.cria.data.recipe.StageRegistry;
import dev.cria.data.write.PartitionPattern;
import dev.cria.data.write.ShardFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a run needs, resolved: the shards, fresh stage objects, the output format, the seed, and a fingerprint
 * of all of it that the manifest keeps, so a run resumes only into an output folder made by the same plan.
 *
 * @param partition null: no subfolders
 */
public record RunPlan(List<InputShard> shards, List<PlannedStage> stages, ShardFormat format, PartitionPattern partition,
        long seed, Path recipeDir, String fingerprint) {

    /** Resolves a recipe's inputs (after {@code --input}) and builds its stages. */
    public static RunPlan of(Recipe recipe, StageRegistry registry) {
        List<InputShard> shards = new ArrayList<>();
        Map<String, Object> canon = new LinkedHashMap<>();
        List<Object> sources = new ArrayList<>();
        for (Recipe.Source s : recipe.sources()) {
            if (s.inputs().isEmpty()) {
                throw new RecipeException(recipe.file() + ": sources." + s.name() + ": no input (give input: in the recipe, or "
                        + (recipe.sources().size() == 1 ? "--input PATH" : "--input " + s.name() + "=PATH") + ")");
            }
            List<Path> files = InputFiles.expand(s.inputs(), recipe.dir(), recipe.file() + ": sources." + s.name(),
                    s.reader().readsFolders());
            List<Object> fileFacts = new ArrayList<>();
            for (Path f : files) {
                long size;
                try {
                    size = Files.isDirectory(f) ? treeSize(f) : Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                fileFacts.add(List.of(f.toAbsolutePath().toString(), size));
                if (s.sliceBytes() > 0 && size > s.sliceBytes() && s.reader().canSlice(f)) {
                    for (long start = 0; start < size; start += s.sliceBytes()) {
                        shards.add(new InputShard(shards.size(), s.name(), s.reader(), s.options(), f, start,
                                Math.min(size, start + s.sliceBytes()), true));
                    }
                } else {
                    shards.add(new InputShard(shards.size(), s.name(), s.reader(), s.options(), f, size));
                }
            }
            sources.add(Map.of("name", s.name(), "reader", s.reader().key(), "options", s.options(), "files", fileFacts,
                    "slice_bytes", s.sliceBytes()));
        }
        List<PlannedStage> stages = new ArrayList<>();
        List<Object> stageFacts = new ArrayList<>();
        for (Recipe.StageSpec spec : recipe.stages()) {
            stages.add(RecipeLoader.instantiate(spec, recipe.file(), recipe.dir(), registry));
            stageFacts.add(Map.of("name", spec.name(), "params", spec.params()));
        }
        canon.put("sources", sources);
        canon.put("stages", stageFacts);
        canon.put("format", recipe.output().format());
        canon.put("partition", String.valueOf(recipe.output().partition()));
        canon.put("seed", recipe.seed());
        PartitionPattern partition = recipe.output().partition() == null ? null : new PartitionPattern(recipe.output().partition());
        return new RunPlan(shards, stages, ShardFormat.of(recipe.output().format()), partition, recipe.seed(), recipe.dir(),
                fingerprint(canon));
    }

    /** Bytes of the regular files under a folder input (a source tree), so the fingerprint changes with its files. */
    private static long treeSize(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            long total = 0;
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }

    /** SHA-256 of the canonical JSON of {@code facts} (map keys sorted). */
    public static String fingerprint(Object facts) {
        try {
            ObjectMapper json = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
            byte[] bytes = json.writeValueAsString(facts).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
