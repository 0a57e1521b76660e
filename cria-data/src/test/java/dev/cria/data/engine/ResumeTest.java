package dev.cria.data.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.data.recipe.Recipe;
import dev.cria.data.recipe.Stages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A killed run, started again, ends with exactly the files of a run that was never interrupted. */
class ResumeTest {

    @TempDir
    Path tmp;

    @Test
    void killedRunResumesToTheSameBytesAsAnUninterruptedRun() throws Exception {
        EngineFixtures.inputs(tmp.resolve("in"), 6);
        Recipe recipe = EngineFixtures.recipe(tmp, "  - length: {min_chars: 12}\n");
        RunPlan plan = RunPlan.of(recipe, Stages.builtIn());
        Path clean = tmp.resolve("clean");
        new LocalEngine(plan, clean, 2, RunProgress.NONE).run();

        Path killed = tmp.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), KillableRun.class.getName(),
                recipe.file().toString(), killed.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile())
                .start();
        // 300 ms per shard: once two shards are in the manifest and the third has written its temporary files, kill -9.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean tempsBeforeKill = false;
        while (System.nanoTime() < deadline && child.isAlive() && !(tempsBeforeKill && countDone(killed) >= 2)) {
            Thread.sleep(10);
            tempsBeforeKill = hasTemporaries(killed);
        }
        assertTrue(child.isAlive(), "the child finished before it could be killed: " + Files.readString(tmp.resolve("child.log")));
        child.destroyForcibly().waitFor();
        int doneBeforeKill = countDone(killed);
        assertTrue(doneBeforeKill >= 2 && doneBeforeKill < 6, "shards done at the kill: " + doneBeforeKill);
        assertTrue(!Files.exists(killed.resolve(FunnelReport.JSON_FILE)), "a killed run writes no funnel");
        assertTrue(tempsBeforeKill, "the kill should land while a shard's temporary files exist");

        LocalEngine.Result resumed = new LocalEngine(plan, killed, 2, RunProgress.NONE).run();
        assertEquals(doneBeforeKill, resumed.resumedShards());
        Map<String, byte[]> expected = EngineFixtures.tree(clean);
        Map<String, byte[]> actual = EngineFixtures.tree(killed);
        assertEquals(expected.keySet(), actual.keySet());
        for (String file : expected.keySet()) {
            assertArrayEquals(expected.get(file), actual.get(file), file);
        }
    }

    private static boolean hasTemporaries(Path out) {
        if (!Files.isDirectory(out)) {
            return false;
        }
        try (var s = Files.walk(out)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".jsonl.gz.tmp"));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // A file renamed while the walk ran: look again on the next poll.
            return false;
        }
    }

    private static int countDone(Path out) throws java.io.IOException {
        Path manifest = out.resolve(Manifest.FILE);
        if (!Files.exists(manifest)) {
            return 0;
        }
        try {
            return Manifest.JSON.readTree(manifest.toFile()).get("shards").size();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
