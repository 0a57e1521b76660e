package dev.cria.data.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.data.read.ReaderKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecipeLoaderTest {
    private static final Path FILE = Path.of("/recipes/test.yaml");

    private static Recipe parse(String yaml) {
        return RecipeLoader.parse(yaml, FILE, Stages.builtIn());
    }

    private static String error(String yaml) {
        return assertThrows(RecipeException.class, () -> parse(yaml)).getMessage();
    }

    private static final String SOURCE = "sources:\n  - {name: cc, reader: wet, input: [a.wet]}\n";

    @Test
    void readsSourcesStagesAndOutput() {
        Recipe r = parse("""
                name: demo
                seed: 7
                threads: 3
                sources:
                  - name: cc
                    reader: wet
                    options: {text: c4}
                    input: ["wet/*.gz", b.wet]
                  - {name: c4, reader: jsonl, input: c4.jsonl.zst}
                stages:
                  - min_len: {chars: 250}
                  - sample
                output: {format: jsonl.zst, partition: "{language}_{bucket}"}
                """);
        assertEquals("demo", r.name());
        assertEquals(7, r.seed());
        assertEquals(3, r.threads());
        assertEquals(ReaderKind.WET, r.sources().getFirst().reader());
        assertEquals(List.of("wet/*.gz", "b.wet"), r.sources().getFirst().inputs());
        assertEquals("c4", r.sources().getFirst().options().get("text"));
        assertEquals(List.of("c4.jsonl.zst"), r.sources().get(1).inputs());
        assertEquals(List.of("min_len", "sample"), r.stages().stream().map(Recipe.StageSpec::name).toList());
        assertEquals("jsonl.zst", r.output().format());
        assertEquals("{language}_{bucket}", r.output().partition());
    }

    @Test
    void namesTheFileAndKeyOfEveryMistake() {
        // The list grows as stages are registered: it is every registered name, sorted.
        assertEquals("/recipes/test.yaml: stages[0].min_length: unknown stage \"min_length\" (known: "
                + String.join(", ", new java.util.TreeSet<>(Stages.builtIn().names())) + ")",
                error(SOURCE + "stages:\n  - min_length: {chars: 3}\n"));
        assertEquals("/recipes/test.yaml: stages[1].min_len: unknown parameter [char] (known: [chars])",
                error(SOURCE + "stages:\n  - sample\n  - min_len: {char: 3}\n"));
        assertEquals("/recipes/test.yaml: stages[0].min_len.chars: expected an integer, found \"many\"",
                error(SOURCE + "stages:\n  - min_len: {chars: many}\n"));
        assertEquals("/recipes/test.yaml: sources[0].reader: unknown reader \"wat\" (known: wet, warc, jsonl, github, wikipedia, books, arxiv, stackexchange)",
                error("sources:\n  - {name: cc, reader: wat}\n"));
        assertEquals("/recipes/test.yaml: sources[0].options.text: \"cc_net\" is not one of [ccnet, c4, raw]",
                error("sources:\n  - {name: cc, reader: wet, options: {text: cc_net}}\n"));
        assertEquals("/recipes/test.yaml: stage: unknown key (known: [name, output, seed, sources, stages, threads])",
                error(SOURCE + "stage: []\n"));
        assertEquals("/recipes/test.yaml: output.format: \"parquet\" is not jsonl.gz or jsonl.zst",
                error(SOURCE + "output: {format: parquet}\n"));
        assertTrue(error(SOURCE + "stages: [\n").startsWith("/recipes/test.yaml: not valid YAML"));
        assertEquals("/recipes/test.yaml: sources[0].slice_mb: the warc reader reads whole files only",
                error("sources:\n  - {name: w, reader: warc, slice_mb: 64}\n"));
        assertEquals("/recipes/test.yaml: sources[0].slice_mb: expected a positive number of megabytes, found 0",
                error("sources:\n  - {name: w, reader: wet, slice_mb: 0}\n"));
    }

    @Test
    void inputOverrideNeedsNamesWhenThereAreSeveralSources() {
        Recipe one = parse(SOURCE);
        assertEquals(List.of(Path.of("x.wet").toAbsolutePath().toString()), one.withInputs(List.of("x.wet")).sources().getFirst().inputs());
        Recipe two = parse(SOURCE + "  - {name: c4, reader: jsonl, input: [c.jsonl]}\n");
        Recipe replaced = two.withInputs(List.of("c4=/data/c4"));
        assertEquals(List.of("a.wet"), replaced.sources().getFirst().inputs());
        assertEquals(List.of("/data/c4"), replaced.sources().get(1).inputs());
        String e = assertThrows(RecipeException.class, () -> two.withInputs(List.of("/data/x"))).getMessage();
        assertTrue(e.contains("must be NAME=PATH with NAME one of [cc, c4]"), e);
    }
}
