package dev.cria.cli.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.cli.CliRun;
import dev.cria.testing.SharedData;
import dev.cria.train.data.TokenDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seven-source recipe and the token step: a funnel per source, then token shards that the trainer opens, holding
 * LLaMA Table 1's shares of the budget with each source repeated or subsampled to its epochs.
 */
class MixtureTokenizeTest {

    /** LLaMA Table 1 sampling proportions. */
    private static final Map<String, Double> TABLE_1 = Map.of("commoncrawl", 0.670, "c4", 0.150, "github", 0.045,
            "wikipedia", 0.045, "books", 0.045, "arxiv", 0.025, "stackexchange", 0.020);

    @TempDir
    Path tmp;

    @Test
    void allSevenSourcesGiveAFunnelEachAndTokenShardsTheTrainerReads() throws Exception {
        SharedData.file("samples/books");
        Path jar = Path.of(org.apache.commons.compress.archivers.tar.TarArchiveEntry.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI());
        Path run = tmp.resolve("run");
        CliRun data = CliRun.run("data", "run", SourceRecipesTest.recipe("llama-mixture.yaml").toString(), "--input", "github=" + jar,
                "--output", run.toString(), "--threads", "2");
        assertEquals(0, data.exitCode(), data.stderr());
        Set<String> sources = new TreeSet<>();
        for (JsonNode s : SourceRecipesTest.funnel(run).get("sources")) {
            assertTrue(s.get("documents").asLong() > 0, s.toString());
            sources.add(s.get("source").asText());
        }
        assertEquals(TABLE_1.keySet(), sources);

        long budget = 300_000;
        Path tokens = tmp.resolve("tokens");
        CliRun tok = CliRun.run("data", "tokenize", run.toString(), "--output", tokens.toString(), "--vocab-size", "1000",
                "--sample-chars", "400000", "--budget", String.valueOf(budget), "--seed", "7", "--threads", "2");
        assertEquals(0, tok.exitCode(), tok.stderr());
        JsonNode report = new ObjectMapper().readTree(tokens.resolve("tokens.json").toFile());
        long produced = 0;
        for (var e : TABLE_1.entrySet()) {
            JsonNode s = report.get("sources").get(e.getKey());
            long unique = s.get("unique_tokens").asLong();
            long planned = s.get("planned_tokens").asLong();
            double epochs = s.get("epochs").asDouble();
            long made = s.get("produced_tokens").asLong();
            assertEquals(Math.round(e.getValue() * budget), planned, e.getKey());
            assertEquals((double) planned / unique, epochs, 1e-9, e.getKey());
            if (epochs >= 1) {
                // Every document goes in floor(epochs) or ceil(epochs) times.
                assertTrue(made >= Math.floor(epochs) * unique && made <= Math.ceil(epochs) * unique, e.getKey() + ": " + s);
            } else {
                assertTrue(made <= unique, e.getKey() + ": " + s);
            }
            produced += made;
        }
        assertEquals(produced, report.get("produced_tokens").asLong());

        List<Path> shards = new ArrayList<>();
        report.get("shards").forEach(n -> shards.add(tokens.resolve(n.asText())));
        try (TokenDataset dataset = TokenDataset.open(shards, List.of(), 0.0, 129)) {
            assertEquals(1000, dataset.vocabSize());
            assertEquals(produced, dataset.trainingTokens());
        }

        // The same seed gives the same shards, whatever the thread count.
        Path again = tmp.resolve("again");
        assertEquals(0, CliRun.run("data", "tokenize", run.toString(), "--output", again.toString(), "--vocab-size", "1000",
                "--sample-chars", "400000", "--budget", String.valueOf(budget), "--seed", "7", "--threads", "1").exitCode());
        for (Path shard : shards) {
            assertArrayEquals(Files.readAllBytes(shard), Files.readAllBytes(again.resolve(shard.getFileName())), shard.toString());
        }
    }
}
