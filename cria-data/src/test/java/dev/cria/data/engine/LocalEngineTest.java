package dev.cria.data.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cria.data.Document;
import dev.cria.data.read.ReaderKind;
import dev.cria.data.recipe.PlannedStage;
import dev.cria.data.recipe.Recipe;
import dev.cria.data.recipe.RecipeLoader;
import dev.cria.data.recipe.Stages;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalEngineTest {

    @TempDir
    Path tmp;

    private RunPlan withGlobal(RunPlan plan) {
        List<PlannedStage> stages = new ArrayList<>(plan.stages());
        stages.add(new PlannedStage.Global(new EngineFixtures.DropRepeatedTexts()));
        return new RunPlan(plan.shards(), stages, plan.format(), plan.partition(), plan.seed(), plan.recipeDir(), plan.fingerprint());
    }

    @Test
    void globalStageSeesEveryShardAndTheFunnelCountsEachStep() throws Exception {
        EngineFixtures.inputs(tmp.resolve("in"), 4);
        RunPlan plan = withGlobal(RunPlan.of(EngineFixtures.recipe(tmp, "  - length: {min_chars: 16}\n"), Stages.builtIn()));
        LocalEngine.Result r = new LocalEngine(plan, tmp.resolve("out"), 2, RunProgress.NONE).run();
        // Per file: i = 0, 3, 6 are "shared line i" (13 chars: too short); i = 1, 2, 4, 5, 7 are "document f.i " + 10·i x.
        // The shared lines never reach the global stage, so nothing is repeated there: 5 documents per file survive.
        Funnel f = r.funnel();
        assertEquals(32, f.sources().getFirst().documents());
        Funnel.StageFunnel length = f.stages().get(0);
        assertEquals(Map.of("too_short", new Funnel.Count(12, 12 * 13)), length.dropped());
        assertEquals(new Funnel.Count(32, 4 * (3 * 13 + 23 + 33 + 53 + 63 + 83)), length.in());
        assertEquals(20, length.kept().documents());
        assertEquals(20, f.stages().get(1).kept().documents());
        assertEquals("global", f.stages().get(1).kind());
        assertEquals(20, f.output().documents());
        assertTrue(Files.readString(r.funnelHtml()).contains("<svg"));
        JsonNode json = Manifest.JSON.readTree(r.funnelJson().toFile());
        assertEquals(20, json.get("output").get("documents").asLong());
        assertEquals(12, json.get("stages").get(0).get("dropped").get("too_short").get("documents").asLong());
    }

    @Test
    void globalStageRemovesTextsRepeatedAcrossShards() throws Exception {
        EngineFixtures.inputs(tmp.resolve("in"), 3);
        RunPlan plan = withGlobal(RunPlan.of(EngineFixtures.recipe(tmp, ""), Stages.builtIn()));
        LocalEngine.Result r = new LocalEngine(plan, tmp.resolve("out"), 2, RunProgress.NONE).run();
        Funnel.StageFunnel dedup = r.funnel().stages().getFirst();
        // "shared line 0/3/6" appear in all 3 files: all 9 copies go; the 15 other documents are unique.
        assertEquals(9, dedup.dropped().get("repeated").documents());
        assertEquals(15, r.funnel().output().documents());
        List<String> ids = new ArrayList<>();
        for (String file : r.files()) {
            ids.addAll(read(tmp.resolve("out").resolve(file)).stream().map(Document::id).toList());
        }
        assertEquals(15, ids.size());
        assertTrue(ids.stream().noneMatch(id -> id.endsWith("-0") || id.endsWith("-3") || id.endsWith("-6")), ids.toString());
    }

    @Test
    void shardGroupsAreDecidedEachFromTheirOwnShards() throws Exception {
        EngineFixtures.inputs(tmp.resolve("in"), 3);
        RunPlan plan = RunPlan.of(EngineFixtures.recipe(tmp, ""), Stages.builtIn());
        List<PlannedStage> stages = List.of(new PlannedStage.Global(new EngineFixtures.DropRepeatedTexts(2)));
        RunPlan grouped = new RunPlan(plan.shards(), stages, plan.format(), plan.partition(), plan.seed(), plan.recipeDir(),
                plan.fingerprint());
        LocalEngine.Result r = new LocalEngine(grouped, tmp.resolve("out"), 2, RunProgress.NONE).run();
        // Group {0, 1}: the 3 shared lines occur twice each, all 6 copies go. Group {2}: each occurs once and stays.
        assertEquals(6, r.funnel().stages().getFirst().dropped().get("repeated").documents());
        assertEquals(18, r.funnel().output().documents());
    }

    @Test
    void outputDoesNotDependOnTheNumberOfThreads() throws Exception {
        EngineFixtures.inputs(tmp.resolve("in"), 5);
        RunPlan plan = withGlobal(RunPlan.of(EngineFixtures.recipe(tmp, "  - length: {min_chars: 14}\n"), Stages.builtIn()));
        new LocalEngine(plan, tmp.resolve("one"), 1, RunProgress.NONE).run();
        new LocalEngine(plan, tmp.resolve("four"), 4, RunProgress.NONE).run();
        Map<String, byte[]> one = EngineFixtures.tree(tmp.resolve("one"));
        Map<String, byte[]> four = EngineFixtures.tree(tmp.resolve("four"));
        assertEquals(one.keySet(), four.keySet());
        one.forEach((k, v) -> assertArrayEquals(v, four.get(k), k));
        assertTrue(one.containsKey("en/part-00000.jsonl.gz") && one.containsKey("de/part-00004.jsonl.gz"), one.keySet().toString());
    }

    @Test
    void countsAFileThatIsNotItsFormatAndGoesOn() throws Exception {
        EngineFixtures.inputs(tmp.resolve("in"), 2);
        Files.writeString(tmp.resolve("in/in-01.jsonl"), "");
        Files.writeString(tmp.resolve("in/in-00b.jsonl.gz"), "not gzip at all");
        Path recipe = tmp.resolve("gz.yaml");
        Files.writeString(recipe, "sources:\n  - {name: test, reader: jsonl, input: [\"in/*.jsonl*\"]}\n");
        LocalEngine.Result r = new LocalEngine(RunPlan.of(RecipeLoader.load(recipe, Stages.builtIn()), Stages.builtIn()),
                tmp.resolve("out"), 2, RunProgress.NONE).run();
        Funnel.SourceFunnel read = r.funnel().sources().getFirst();
        assertEquals(3, read.files());
        assertEquals(8, read.documents());
        assertEquals(Map.of("unreadable_file", 1L), read.badRecords());
        assertTrue(read.badExamples().getFirst().file().endsWith("in-00b.jsonl.gz"));
        assertEquals(List.of("part-00000.jsonl.gz"), r.files());
    }

    @Test
    void slicesOfALargeFileKeepEveryDocumentInOrder() throws Exception {
        Path sample = SharedData.file("samples/ccnet_output/dolma_cc_en_head-0091.jsonl");
        Path recipe = tmp.resolve("slices.yaml");
        Files.writeString(recipe, "sources:\n  - {name: cc, reader: jsonl, slice_mb: 0.02, input: [\"%s\"]}\n".formatted(sample));
        RunPlan plan = RunPlan.of(RecipeLoader.load(recipe, Stages.builtIn()), Stages.builtIn());
        assertEquals((Files.size(sample) + 19_999) / 20_000, plan.shards().size());
        LocalEngine.Result r = new LocalEngine(plan, tmp.resolve("out"), 2, RunProgress.NONE).run();
        List<Document> written = new ArrayList<>();
        for (String file : r.files()) {
            written.addAll(read(tmp.resolve("out").resolve(file)));
        }
        List<Document> original = new ArrayList<>();
        try (var reader = ReaderKind.JSONL.open(sample, "cc", Map.of())) {
            reader.stream().forEach(original::add);
        }
        assertEquals(original, written);
        assertEquals(1, r.funnel().sources().getFirst().files());
        assertEquals(Files.size(sample), r.funnel().sources().getFirst().bytesRead());
    }

    @Test
    void refusesAnOutputFolderOfAnotherRecipe() throws Exception {
        EngineFixtures.inputs(tmp.resolve("in"), 1);
        new LocalEngine(RunPlan.of(EngineFixtures.recipe(tmp, "  - length: {min_chars: 1}\n"), Stages.builtIn()), tmp.resolve("out"),
                1, RunProgress.NONE).run();
        RunPlan other = RunPlan.of(EngineFixtures.recipe(tmp, "  - length: {min_chars: 2}\n"), Stages.builtIn());
        IOException e = assertThrows(IOException.class, () -> new LocalEngine(other, tmp.resolve("out"), 1, RunProgress.NONE).run());
        assertTrue(e.getMessage().contains("different recipe"), e.getMessage());
    }

    @Test
    void partitionsRealCcnetOutputByLanguageAndBucket() throws Exception {
        Path samples = SharedData.file("samples/ccnet_output");
        Path recipe = tmp.resolve("r.yaml");
        Files.writeString(recipe, """
                sources:
                  - {name: cc, reader: jsonl, input: ["%s/*.jsonl"]}
                stages:
                  - meta_filter: {field: bucket, in: [head, middle]}
                output: {format: jsonl.zst, partition: "{language}_{bucket}"}
                """.formatted(samples));
        Recipe parsed = RecipeLoader.load(recipe, Stages.builtIn());
        LocalEngine.Result r = new LocalEngine(RunPlan.of(parsed, Stages.builtIn()), tmp.resolve("out"), 2, RunProgress.NONE).run();
        assertEquals(List.of("en_head/part-00000.jsonl.zst", "en_head/part-00001.jsonl.zst"), r.files());
        List<Document> docs = read(tmp.resolve("out/en_head/part-00000.jsonl.zst"));
        List<Document> original = new ArrayList<>();
        try (var reader = ReaderKind.JSONL.open(samples.resolve("dolma_cc_en_head-0091.jsonl"), "cc", Map.of())) {
            reader.stream().forEach(original::add);
        }
        assertEquals(original, docs);
    }

    private static List<Document> read(Path file) throws IOException {
        List<Document> out = new ArrayList<>();
        try (var reader = ReaderKind.JSONL.open(file, "unused", Map.of())) {
            reader.stream().forEach(out::add);
        }
        return out;
    }
}
