package dev.cria.data.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.data.engine.KillableRun;
import dev.cria.data.engine.LocalEngine;
import dev.cria.data.engine.Manifest;
import dev.cria.data.engine.RunPlan;
import dev.cria.data.engine.RunProgress;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recipes/ccnet.yaml} (two global stages: line dedup and the sampled perplexity buckets, so three passes) killed
 * with SIGKILL while it writes, then run again: the output is byte for byte that of a run never interrupted.
 */
class WebRecipeResumeTest {

    @TempDir
    Path tmp;

    /** 8 WET files of 3 pages each: Peter Pan passages, one navigation line on every page, one German page. */
    private static void wetFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> book = Files.readAllLines(SharedData.file("lm/train.txt"));
        int line = 0;
        for (int f = 0; f < 8; f++) {
            StringBuilder wet = new StringBuilder();
            for (int p = 0; p < 3; p++) {
                StringBuilder body = new StringBuilder("Page " + f + "." + p + "\nHome | About us | Contact\n");
                if (f == 5 && p == 1) {
                    body.append("Das Wetter war schön und wir sind eine Stunde am Fluss entlang gegangen, bis es dunkel wurde.\n"
                            .repeat(4));
                } else {
                    for (int i = 0; i < 12; i++) {
                        body.append(book.get(line++)).append('\n');
                    }
                }
                wet.append("WARC/1.0\nWARC-Type: conversion\nWARC-Target-URI: http://example.com/").append(f).append('/').append(p)
                        .append("\nWARC-Date: 2019-03-18T00:00:00Z\nWARC-Record-ID: <urn:uuid:").append(f).append('-').append(p)
                        .append(">\nWARC-Block-Digest: sha1:F").append(f).append('P').append(p)
                        .append("\nContent-Type: text/plain\nContent-Length: ").append(body.length()).append("\n\n")
                        .append(body).append("\n\n");
            }
            Files.writeString(dir.resolve(String.format("part-%02d.warc.wet", f)), wet.toString());
        }
    }

    @Test
    void killedCcnetRunResumesToTheSameBytes() throws Exception {
        Path models = WebRecipeModels.english(Files.createDirectories(tmp.resolve("models")), 2000);
        wetFiles(tmp.resolve("wet"));
        // The shipped recipe with absolute paths, so the child process can load it from tmp.
        Recipe shipped = WebRecipesTest.recipe("ccnet.yaml", models, tmp.resolve("wet"));
        String text = Files.readString(WebRecipesTest.recipeFile("ccnet.yaml"))
                .replace("\"../../shared/data/samples/cc_wet/*.warc.wet*\"", "\"" + tmp.resolve("wet") + "\"")
                .replace("../../shared/data/", SharedData.file("samples").getParent() + "/")
                .replace(" models/", " " + models + "/");
        Path recipeFile = tmp.resolve("ccnet.yaml");
        Files.writeString(recipeFile, text);
        Recipe recipe = RecipeLoader.load(recipeFile, Stages.builtIn());
        assertEquals(shipped.stages(), recipe.stages());

        Path clean = tmp.resolve("clean");
        LocalEngine.Result uninterrupted = new LocalEngine(RunPlan.of(recipe, Stages.builtIn()), clean, 2, RunProgress.NONE).run();
        // Each page's navigation line occurs 24 times: removed everywhere; the German page goes at LID.
        assertEquals(24, uninterrupted.funnel().sources().getFirst().documents());
        assertEquals(23, uninterrupted.funnel().output().documents());

        Path killed = tmp.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), KillableRun.class.getName(),
                recipeFile.toString(), killed.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && child.isAlive() && committed(killed) < 2) {
            Thread.sleep(10);
        }
        assertTrue(child.isAlive(), "the child finished before it could be killed: " + Files.readString(tmp.resolve("child.log")));
        child.destroyForcibly().waitFor();
        int done = committed(killed);
        assertTrue(done >= 2 && done < 8, "shards committed at the kill: " + done);

        LocalEngine.Result resumed = new LocalEngine(RunPlan.of(recipe, Stages.builtIn()), killed, 2, RunProgress.NONE).run();
        assertEquals(done, resumed.resumedShards());
        Map<String, byte[]> expected = tree(clean);
        Map<String, byte[]> actual = tree(killed);
        assertEquals(expected.keySet(), actual.keySet());
        for (String file : expected.keySet()) {
            assertArrayEquals(expected.get(file), actual.get(file), file);
        }
    }

    private static int committed(Path out) {
        Path manifest = out.resolve(Manifest.FILE);
        if (!Files.exists(manifest)) {
            return 0;
        }
        try {
            return new ObjectMapper().readTree(manifest.toFile()).get("shards").size();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Every file under {@code dir} but the engine's work folder, relative path to bytes. */
    private static Map<String, byte[]> tree(Path dir) throws IOException {
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
