package dev.cria.cli.data;

import static dev.cria.cli.data.SourceRecipesTest.documents;
import static dev.cria.cli.data.SourceRecipesTest.funnel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cria.cli.CliRun;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged input among good input: a corrupt tarball, a dump cut off mid-page, a binary file among sources, a 30 MB
 * single line. Each is counted and reported, the run goes on and exits 0, the good documents are all written, and no
 * temporary or partial file is left.
 */
class SourceBadInputTest {

    @TempDir
    Path tmp;

    @Test
    void damagedInputsAreCountedAndTheRunGoesOnWithNothingHalfWritten() throws IOException {
        Path arxiv = Files.createDirectories(tmp.resolve("arxiv"));
        Path samples = SharedData.file("samples/arxiv_tex");
        Files.copy(samples.resolve("arXiv-1803.07574_main.tex"), arxiv.resolve("good.tex"));
        byte[] tarball = Files.readAllBytes(samples.resolve("arXiv-1911.02782_S2ORC_src.tar.gz"));
        Files.write(arxiv.resolve("cut.tar.gz"), Arrays.copyOf(tarball, tarball.length / 2));

        Path wiki = Files.createDirectories(tmp.resolve("wiki"));
        String dump = Files.readString(SharedData.file("samples/wikipedia_xml/tinywiki-pages-articles.xml"));
        int thirdPage = dump.indexOf("<page>", dump.indexOf("<page>", dump.indexOf("<page>") + 1) + 1);
        Files.writeString(wiki.resolve("cut-pages-articles.xml"), dump.substring(0, thirdPage + 200));

        Path repo = Files.createDirectories(tmp.resolve("github/repo"));
        Files.writeString(repo.resolve("LICENSE"), Files.readString(SharedData.file("samples/github_licenses/mit.txt")));
        Files.writeString(repo.resolve("Main.java"), "public class Main {\n    int answer() { return 42; }\n}\n");
        byte[] png = new byte[4096];
        new java.util.Random(1).nextBytes(png);
        png[0] = (byte) 0x89;
        png[5] = 0;
        Files.write(repo.resolve("logo.png"), png);
        Files.write(repo.resolve("tool.py"), png);
        // 30 MB on one line: read whole, then dropped by the longest-line rule rather than breaking the reader.
        Path rows = tmp.resolve("github/rows.jsonl");
        String longLine = "x = \"" + "a".repeat(30_000_000) + "\"";
        Files.writeString(rows, "{\"repo\":\"big\",\"path\":\"huge.py\",\"license\":\"mit\",\"content\":\"" + longLine.replace("\"", "\\\"")
                + "\"}\n{not json\n{\"repo\":\"r\",\"path\":\"ok.py\",\"license\":\"mit\",\"content\":\"def f(value):\\n    return value + 1\\n\"}\n",
                StandardCharsets.UTF_8);

        Path recipe = tmp.resolve("mixed.yaml");
        Files.writeString(recipe, """
                sources:
                  - {name: arxiv, reader: arxiv}
                  - {name: wikipedia, reader: wikipedia, options: {languages: all}}
                  - {name: github, reader: github}
                """);
        Path out = tmp.resolve("out");
        CliRun run = CliRun.run("data", "run", recipe.toString(), "--input", "arxiv=" + arxiv, "--input", "wikipedia=" + wiki,
                "--input", "github=" + repo, "--input", "github=" + rows, "--output", out.toString(), "--threads", "2");
        assertEquals(0, run.exitCode(), run.stderr());

        Map<String, JsonNode> sources = new TreeMap<>();
        funnel(out).get("sources").forEach(s -> sources.put(s.get("source").asText(), s));
        assertEquals(1, sources.get("arxiv").get("bad_records").get("corrupt_archive").asLong(), sources.get("arxiv").toString());
        assertEquals(1, sources.get("wikipedia").get("bad_records").get("truncated").asLong(), sources.get("wikipedia").toString());
        assertEquals(2, sources.get("github").get("skipped").get("binary").asLong(), "logo.png and a .py full of binary");
        assertEquals(1, sources.get("github").get("bad_records").get("bad_json").asLong());
        JsonNode example = sources.get("wikipedia").get("bad_examples").get(0);
        assertTrue(example.get("file").asText().endsWith("cut-pages-articles.xml"), example.toString());

        List<JsonNode> docs = documents(out);
        Map<String, Long> bySource = new TreeMap<>();
        docs.forEach(d -> bySource.merge(d.get("source").asText(), 1L, Long::sum));
        assertEquals(1, bySource.get("arxiv"), "the good paper");
        assertEquals(2, bySource.get("wikipedia"), "the two pages before the cut");
        assertEquals(3, bySource.get("github"), "Main.java, the 30 MB line and ok.py");
        try (Stream<Path> files = Files.walk(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary left");
        }
        assertTrue(run.stderr().contains("corrupt_archive"), run.stderr());
    }
}
