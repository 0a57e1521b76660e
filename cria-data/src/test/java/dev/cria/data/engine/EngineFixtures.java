package dev.cria.data.engine;

import dev.cria.data.Document;
import dev.cria.data.recipe.Recipe;
import dev.cria.data.recipe.RecipeLoader;
import dev.cria.data.recipe.Stages;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import dev.cria.data.stage.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Inputs, plans and test stages shared by the engine tests and the process the kill test starts. */
final class EngineFixtures {
    private EngineFixtures() {
    }

    /** {@code n} JSONL files of 8 numbered documents each, in {@code dir}; every third text repeats across files. */
    static Path inputs(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        for (int f = 0; f < n; f++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                String text = i % 3 == 0 ? "shared line " + i : "document " + f + "." + i + " " + "x".repeat(10 * i);
                sb.append("{\"id\":\"f").append(f).append("-").append(i).append("\",\"text\":\"").append(text)
                        .append("\",\"lang\":\"").append(i % 2 == 0 ? "en" : "de").append("\"}\n");
            }
            Files.writeString(dir.resolve(String.format("in-%02d.jsonl", f)), sb.toString());
        }
        return dir;
    }

    static Recipe recipe(Path recipeDir, String stagesYaml) throws IOException {
        Path file = recipeDir.resolve("test.yaml");
        Files.writeString(file, """
                sources:
                  - {name: test, reader: jsonl, input: ["in/*.jsonl"]}
                stages:
                """ + stagesYaml + """
                output: {format: jsonl.gz, partition: "{lang}"}
                """);
        return RecipeLoader.load(file, Stages.builtIn());
    }

    /** Drops every document whose text occurs more than once in its shard group (CCNet's "remove every copy" rule). */
    record DropRepeatedTexts(int shardGroup) implements GlobalStage<TreeMap<String, Integer>> {
        DropRepeatedTexts() {
            this(0);
        }

        @Override
        public String name() {
            return "drop_repeated";
        }

        @Override
        public TreeMap<String, Integer> emptySummary() {
            return new TreeMap<>();
        }

        @Override
        public TreeMap<String, Integer> observe(TreeMap<String, Integer> summary, Document document) {
            summary.merge(document.text(), 1, Integer::sum);
            return summary;
        }

        @Override
        public TreeMap<String, Integer> merge(TreeMap<String, Integer> earlier, TreeMap<String, Integer> later) {
            later.forEach((k, v) -> earlier.merge(k, v, Integer::sum));
            return earlier;
        }

        @Override
        public DocumentStage decide(TreeMap<String, Integer> summary) {
            Map<String, Integer> counts = new HashMap<>(summary);
            return new DocumentStage() {
                @Override
                public String name() {
                    return "drop_repeated";
                }

                @Override
                public Outcome apply(Document document) {
                    return counts.getOrDefault(document.text(), 0) > 1 ? Outcome.drop("repeated") : Outcome.keep(document);
                }
            };
        }
    }

    /** Every file under {@code dir} (relative path to bytes), the work folder excluded. */
    static Map<String, byte[]> tree(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String rel = dir.relativize(p).toString();
                if (!rel.startsWith(LocalEngine.WORK_DIR)) {
                    out.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return out;
    }
}
