package dev.cria.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.cli.CliRun;
import dev.cria.model.convert.SyntheticVocabulary;
import dev.cria.tokenizer.shard.TokenShardWriter;
import dev.cria.tokenizer.spm.SentencePieceModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cria train} through the command line: config errors before any work, a whole run, and resume. */
class TrainCommandTest {

    private static final int VOCAB = 300;

    @TempDir
    Path dir;

    private Path tokenizer;
    private Path shard;

    @BeforeEach
    void data() throws IOException {
        SentencePieceModel spm = SyntheticVocabulary.create(VOCAB);
        tokenizer = dir.resolve("tokenizer.model");
        spm.proto().write(tokenizer);
        shard = dir.resolve("train.tok");
        SplittableRandom random = new SplittableRandom(3);
        try (TokenShardWriter w = TokenShardWriter.create(shard, VOCAB, spm.bosId(), spm.eosId())) {
            for (int d = 0; d < 30; d++) {
                int[] doc = new int[120];
                int t = 260 + random.nextInt(40);
                for (int i = 0; i < doc.length; i++) {
                    doc[i] = t;
                    t = 260 + (t * 7 + random.nextInt(3)) % 40;
                }
                w.addDocument(doc);
            }
            w.commit();
        }
    }

    private Path config(String extra) throws IOException {
        String yaml = """
                model:
                  dim: 32
                  layers: 2
                  heads: 4
                  kv_heads: 2
                  hidden: 64
                seq_len: 16
                batch_tokens: 64
                micro_batch: 2
                steps: 8
                lr: 0.01
                warmup: 10
                checkpoint: selective
                seed: 3
                threads: 1
                val_every: 4
                val_tokens: 128
                checkpoint_every: 4
                log_every: 1
                data:
                  train: [%s]
                  val_fraction: 0.1
                  tokenizer: %s
                """.formatted(shard, tokenizer) + extra;
        Path file = dir.resolve("train.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void trainsExportsAndResumesToTheLossesOfAnUninterruptedRun() throws IOException {
        Path config = config("");
        Path straight = dir.resolve("straight");
        CliRun a = CliRun.run("train", "--config", config.toString(), "--output", straight.toString());
        assertEquals(0, a.exitCode(), a.stderr());
        assertTrue(a.stderr().contains("step 8/8  loss "), a.stderr());
        assertTrue(Files.isRegularFile(straight.resolve("model.gguf")));
        assertTrue(Files.isRegularFile(straight.resolve("loss.png")));

        // Stop at step 4, then resume to 8: all steps are in the warmup (10 steps), so the rates do not depend on the total.
        Path split = dir.resolve("split");
        CliRun b = CliRun.run("train", "--config", config.toString(), "--output", split.toString(), "--steps", "4");
        assertEquals(0, b.exitCode(), b.stderr());
        CliRun c = CliRun.run("train", "--resume", split.toString(), "--steps", "8");
        assertEquals(0, c.exitCode(), c.stderr());
        assertTrue(c.stderr().contains("resuming at step 4 of 8"), c.stderr());
        assertEquals(withoutTimes(straight), withoutTimes(split));
        assertEquals(Files.readAllBytes(straight.resolve("checkpoints/step-000008/model.safetensors")).length,
                Files.readAllBytes(split.resolve("checkpoints/step-000008/model.safetensors")).length);
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(straight.resolve("checkpoints/step-000008/model.safetensors")),
                Files.readAllBytes(split.resolve("checkpoints/step-000008/model.safetensors"))), "the same weights, bit for bit");

        CliRun generated = CliRun.run("generate", "--model", straight.resolve("model.gguf").toString(), "--prompt", "", "--max-tokens", "5",
                "--temperature", "0");
        assertEquals(0, generated.exitCode(), generated.stderr());
    }

    private static List<String> withoutTimes(Path run) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(line);
            n.remove("tokens_per_s");
            n.remove("seconds");
            out.add(n.toString());
        }
        return out;
    }

    @Test
    void anUnknownKeyIsAnErrorNamingItsLine() throws IOException {
        Path config = config("lerning_rate: 0.1\n");
        CliRun r = CliRun.run("train", "--config", config.toString(), "--output", dir.resolve("out").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains(config + ": line 25, column 1: unknown key 'lerning_rate'"), r.stderr());
        assertFalse(Files.exists(dir.resolve("out")), "nothing is written before the config is valid");
    }

    @Test
    void aWrongTypeIsAnErrorNamingTheKey() throws IOException {
        Path config = config("");
        Files.writeString(config, Files.readString(config).replace("steps: 8", "steps: many"));
        CliRun r = CliRun.run("train", "--config", config.toString(), "--output", dir.resolve("out").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains(config + ": line 10, column 8: 'steps': "), r.stderr());
    }

    @Test
    void missingRequiredKeysAreListedTogether() throws IOException {
        Path config = config("");
        Files.writeString(config, Files.readString(config).replace("lr: 0.01\n", "").replace("seq_len: 16\n", ""));
        CliRun r = CliRun.run("train", "--config", config.toString(), "--output", dir.resolve("out").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("missing required key 'seq_len'") && r.stderr().contains("missing required key 'lr'"), r.stderr());
    }

    @Test
    void missingDataIsAnErrorBeforeAnyWork() throws IOException {
        Path config = config("");
        Files.delete(shard);
        CliRun r = CliRun.run("train", "--config", config.toString(), "--output", dir.resolve("out").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("missing data: " + shard), r.stderr());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void anUnknownPolicyIsAnError() throws IOException {
        CliRun r = CliRun.run("train", "--config", config("").toString(), "--output", dir.resolve("out").toString(), "--checkpoint", "some");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("checkpoint is 'some', expected one of [none, selective, full, reversible]"), r.stderr());
    }

    @Test
    void aBatchThatIsNotWholeWindowsIsAnError() throws IOException {
        Path config = config("");
        Files.writeString(config, Files.readString(config).replace("batch_tokens: 64", "batch_tokens: 70"));
        CliRun r = CliRun.run("train", "--config", config.toString(), "--output", dir.resolve("out").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("batch_tokens 70 is not a whole number of windows of seq_len 16"), r.stderr());
    }

    @Test
    void refusesToOverwriteARunAndToResumeWithoutACheckpoint() throws IOException {
        Path out = dir.resolve("out");
        CliRun first = CliRun.run("train", "--config", config("").toString(), "--output", out.toString(), "--steps", "1");
        assertEquals(0, first.exitCode(), first.stderr());
        CliRun again = CliRun.run("train", "--config", config("").toString(), "--output", out.toString());
        assertEquals(1, again.exitCode());
        assertTrue(again.stderr().contains("already holds a run; continue it with --resume"), again.stderr());
        CliRun nothing = CliRun.run("train", "--resume", dir.resolve("nowhere").toString());
        assertEquals(1, nothing.exitCode());
        assertTrue(nothing.stderr().contains("is not a training output folder"), nothing.stderr());
    }

    @Test
    void metricsHoldOneObjectPerStepAndTheValidations() throws IOException {
        Path out = dir.resolve("out");
        CliRun r = CliRun.run("train", "--config", config("").toString(), "--output", out.toString(), "--steps", "4");
        assertEquals(0, r.exitCode(), r.stderr());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            lines.add(json.readTree(l));
        }
        assertEquals(List.of("step", "val_loss"), names(lines.get(0)));
        assertEquals(0, lines.get(0).get("step").asInt());
        for (int s = 1; s <= 4; s++) {
            JsonNode n = lines.get(s);
            assertEquals(s, n.get("step").asInt());
            assertTrue(names(n).containsAll(List.of("step", "loss", "lr", "grad_norm", "tokens_per_s")), n.toString());
            // warmup: lr = 0.01 · s / 10
            assertEquals(0.01 * s / 10, n.get("lr").asDouble(), 1e-15);
        }
        assertEquals(List.of("step", "val_loss"), names(lines.get(5)));
        assertEquals(4, lines.get(5).get("step").asInt());
        assertEquals(6, lines.size());
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
