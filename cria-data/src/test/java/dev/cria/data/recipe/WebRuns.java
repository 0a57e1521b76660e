package dev.cria.data.recipe;

import dev.cria.data.Document;
import dev.cria.data.engine.Funnel;
import dev.cria.data.engine.LocalEngine;
import dev.cria.data.engine.RunPlan;
import dev.cria.data.engine.RunProgress;
import dev.cria.data.read.DocumentReader;
import dev.cria.data.read.JsonlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Runs recipes through the local engine and reads their output back, for the web-stage and web-recipe tests. */
final class WebRuns {
    private WebRuns() {
    }

    /** The documents written (every shard, partition folders in name order) and the funnel. */
    record Run(List<Document> documents, Funnel funnel, Path output) {
        Map<String, Document> byId() {
            Map<String, Document> m = new LinkedHashMap<>();
            documents.forEach(d -> m.put(d.id(), d));
            return m;
        }

        /** Documents dropped by stage {@code stage} for {@code reason}. */
        long dropped(String stage, String reason) {
            for (Funnel.StageFunnel s : funnel.stages()) {
                if (s.name().equals(stage)) {
                    Funnel.Count c = s.dropped().get(reason);
                    return c == null ? 0 : c.documents();
                }
            }
            throw new AssertionError("no stage " + stage + " in the funnel: " + funnel.stages());
        }
    }

    /** Runs {@code recipe} (already loaded) with its inputs into {@code output}. */
    static Run run(Recipe recipe, Path output, int threads) throws IOException, InterruptedException {
        RunPlan plan = RunPlan.of(recipe, Stages.builtIn());
        LocalEngine.Result r = new LocalEngine(plan, output, threads, RunProgress.NONE).run();
        return new Run(readShards(output), r.funnel(), output);
    }

    /** Writes {@code yaml} as {@code dir/recipe.yaml}, loads it and runs it into a new folder {@code dir/outN}. */
    static Run run(Path dir, String yaml) throws IOException, InterruptedException {
        Path file = dir.resolve("recipe.yaml");
        Files.writeString(file, yaml);
        int n = 0;
        while (Files.exists(dir.resolve("out" + n))) {
            n++;
        }
        return run(RecipeLoader.load(file, Stages.builtIn()), dir.resolve("out" + n), 2);
    }

    /** A one-source JSONL recipe over {@code in/*.jsonl} with the given stage lines. */
    static String jsonlRecipe(String stages) {
        return "sources:\n  - {name: t, reader: jsonl, input: [\"in/*.jsonl\"]}\nstages:\n" + stages
                + "output: {format: jsonl.gz}\n";
    }

    /** Writes shard files {@code in/s0.jsonl, in/s1.jsonl, ...}, one per list of JSON objects. */
    @SafeVarargs
    static void shards(Path dir, List<String>... shards) throws IOException {
        Files.createDirectories(dir.resolve("in"));
        for (int i = 0; i < shards.length; i++) {
            Files.write(dir.resolve("in/s" + i + ".jsonl"), shards[i]);
        }
    }

    static List<Document> readShards(Path output) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(output)) {
            files = s.filter(p -> p.getFileName().toString().matches("part-\\d+\\.jsonl\\.(gz|zst)"))
                    .sorted().toList();
        }
        List<Document> out = new ArrayList<>();
        for (Path f : files) {
            try (DocumentReader reader = new JsonlReader(f, "out", "text")) {
                Document d;
                while ((d = reader.next()) != null) {
                    out.add(d);
                }
            }
        }
        return out;
    }
}
