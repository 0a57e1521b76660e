package dev.cria.data.recipe;

import dev.cria.data.read.ReaderKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A parsed recipe file: what to read, which stages to run, how to write. {@link RecipeLoader} builds it and checks
 * it; {@link #withInputs} applies the command line's {@code --input}.
 *
 * @param file the recipe file (for messages)
 * @param dir the folder relative paths resolve against
 * @param name the recipe's name (default: the file name without extension)
 * @param seed for stages that sample (default 0)
 * @param threads worker threads; 0 = all cores
 * @param sources in order: shard numbers follow this order, then the sorted file order inside each source
 * @param stages in order
 * @param output format, partition pattern and folder
 */
public record Recipe(Path file, Path dir, String name, long seed, int threads, List<Source> sources, List<StageSpec> stages,
        Output output) {

    /**
     * @param inputs paths or globs ({@code *}, {@code ?}, {@code **}, {@code {a,b}}), relative to the recipe's folder
     * @param sliceBytes uncompressed WET and JSONL files larger than this are cut into slices of about this size, one
     *     shard each; 0: one shard per file
     */
    public record Source(String name, ReaderKind reader, List<String> inputs, Map<String, String> options, long sliceBytes) {
    }

    /** One stage entry: {@code - name: {param: value}}; {@code key} locates it for messages ({@code stages[2]}). */
    public record StageSpec(String name, String key, Map<String, Object> params) {
    }

    /**
     * @param format {@code jsonl.gz} or {@code jsonl.zst}
     * @param partition a pattern like {@code {language}_{bucket}}, or null
     * @param dir the output folder if the recipe names one (relative to the recipe), or null
     */
    public record Output(String format, String partition, String dir) {
    }

    /**
     * The recipe with inputs replaced: {@code NAME=PATH} replaces source NAME's inputs; a bare PATH is allowed when
     * the recipe has one source. Paths given here are relative to the current folder, not the recipe's.
     */
    public Recipe withInputs(List<String> args) {
        if (args.isEmpty()) {
            return this;
        }
        Map<String, List<String>> bySource = new java.util.LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String source;
            String path;
            if (eq > 0 && sources.stream().anyMatch(s -> s.name().equals(arg.substring(0, eq)))) {
                source = arg.substring(0, eq);
                path = arg.substring(eq + 1);
            } else if (sources.size() == 1) {
                source = sources.getFirst().name();
                path = arg;
            } else {
                throw new RecipeException(file + ": --input " + arg + ": the recipe has " + sources.size()
                        + " sources, so each --input must be NAME=PATH with NAME one of "
                        + sources.stream().map(Source::name).toList());
            }
            bySource.computeIfAbsent(source, k -> new java.util.ArrayList<>())
                    .add(Path.of(path).toAbsolutePath().normalize().toString());
        }
        List<Source> replaced = sources.stream()
                .map(s -> bySource.containsKey(s.name()) ? new Source(s.name(), s.reader(), bySource.get(s.name()), s.options(), s.sliceBytes())
                        : s)
                .toList();
        return new Recipe(file, dir, name, seed, threads, replaced, stages, output);
    }
}
