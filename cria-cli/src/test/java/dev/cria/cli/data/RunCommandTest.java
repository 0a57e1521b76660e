package dev.cria.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.cli.CliRun;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

    @TempDir
    Path tmp;

    private Path recipe(String yaml) throws IOException {
        Path file = tmp.resolve("recipe.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void runsARecipeOnTheInputGivenOnTheCommandLine() throws IOException {
        Path wet = SharedData.file("samples/c4_fake_wet");
        Path recipe = recipe("""
                sources:
                  - {name: c4, reader: wet, options: {text: c4}, input: [does-not-matter.wet]}
                stages:
                  - length: {max_chars: 190000}
                  - min_len: {chars: 100}
                """);
        Path out = tmp.resolve("out");
        CliRun run = CliRun.run("data", "run", recipe.toString(), "--input", wet.toString(), "--output", out.toString(),
                "--threads", "2");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(Files.exists(out.resolve("part-00000.jsonl.gz")));
        assertTrue(Files.exists(out.resolve("part-00001.jsonl.gz")));
        assertTrue(Files.exists(out.resolve("funnel.html")));
        JsonNode funnel = new ObjectMapper().readTree(out.resolve("funnel.json").toFile());
        // 9 fake pages; "This is another fake webpage, but it's not long enough." is the one under 100 characters.
        assertEquals(9, funnel.get("sources").get(0).get("documents").asLong());
        assertEquals(1, funnel.get("stages").get(1).get("dropped").get("too_short").get("documents").asLong());
        assertEquals(8, funnel.get("output").get("documents").asLong());
        assertEquals("", run.out(), "results go to files; stdout stays empty");
        assertTrue(run.stderr().contains("min_len"), run.stderr());
    }

    @Test
    void rerunningAFinishedRunRedoesNothing() throws IOException {
        Path recipe = recipe("sources:\n  - {name: c4, reader: wet, input: [%s]}\n".formatted(SharedData.file("samples/c4_fake_wet")));
        Path out = tmp.resolve("out");
        assertEquals(0, CliRun.run("data", "run", recipe.toString(), "--output", out.toString()).exitCode());
        byte[] first = Files.readAllBytes(out.resolve("part-00000.jsonl.gz"));
        CliRun again = CliRun.run("data", "run", recipe.toString(), "--output", out.toString());
        assertEquals(0, again.exitCode());
        assertTrue(again.stderr().contains("2 shards (2 finished by an earlier run)"), again.stderr());
        assertEquals(new String(first, java.nio.charset.StandardCharsets.ISO_8859_1),
                new String(Files.readAllBytes(out.resolve("part-00000.jsonl.gz")), java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void reportsRecipeMistakesWithTheFileAndKey() throws IOException {
        Path recipe = recipe("sources:\n  - {name: a, reader: wet, input: [x.wet]}\nstages:\n  - min_len: {chars: 1, char: 2}\n");
        CliRun run = CliRun.run("data", "run", recipe.toString(), "--output", tmp.resolve("o").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.stderr().contains(recipe + ": stages[0].min_len: unknown parameter [char] (known: [chars])"), run.stderr());
    }

    @Test
    void severalSourcesNeedNamedInputs() throws IOException {
        Path recipe = recipe("sources:\n  - {name: a, reader: wet}\n  - {name: b, reader: jsonl}\n");
        CliRun run = CliRun.run("data", "run", recipe.toString(), "--input", "x", "--output", tmp.resolve("o").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.stderr().contains("each --input must be NAME=PATH with NAME one of [a, b]"), run.stderr());
    }

    @Test
    void aSourceWithoutInputIsAnError() throws IOException {
        Path recipe = recipe("sources:\n  - {name: a, reader: wet}\n");
        CliRun run = CliRun.run("data", "run", recipe.toString(), "--output", tmp.resolve("o").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.stderr().contains(recipe + ": sources.a: no input (give input: in the recipe, or --input PATH)"), run.stderr());
    }

    @Test
    void dataAloneListsItsCommands() {
        CliRun run = CliRun.run("data", "--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("run"), run.out());
    }
}
