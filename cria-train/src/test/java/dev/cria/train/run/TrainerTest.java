package dev.cria.train.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.model.io.safetensors.SafetensorsFile;
import dev.cria.tensor.Parallel;
import dev.cria.tokenizer.shard.TokenShardWriter;
import dev.cria.train.BigramModel;
import dev.cria.train.NonFiniteException;
import dev.cria.train.checkpoint.CheckpointStore;
import dev.cria.train.data.TokenDataset;
import dev.cria.train.optim.AdamW;
import dev.cria.train.optim.AdamWSettings;
import dev.cria.train.optim.CosineSchedule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    private static final int VOCAB = 24;

    @TempDir
    Path dir;

    private Parallel parallel;
    private TokenDataset data;

    @BeforeEach
    void setUp() throws IOException {
        parallel = new Parallel(2);
        // A noisy Markov chain: token t is followed by (3t + 1) mod VOCAB four times in five, so there is a lot to learn.
        SplittableRandom random = new SplittableRandom(11);
        Path shard = dir.resolve("data.tok");
        try (TokenShardWriter w = TokenShardWriter.create(shard, VOCAB, 0, 1)) {
            for (int d = 0; d < 40; d++) {
                int[] doc = new int[100];
                int t = 2 + random.nextInt(VOCAB - 2);
                for (int i = 0; i < doc.length; i++) {
                    doc[i] = t;
                    t = random.nextInt(5) < 4 ? (3 * t + 1) % VOCAB : random.nextInt(VOCAB);
                }
                w.addDocument(doc);
            }
            w.commit();
        }
        data = TokenDataset.open(List.of(shard), List.of(), 0.1, 17);
    }

    @AfterEach
    void tearDown() {
        data.close();
        parallel.close();
    }

    private static TrainSettings settings(int microBatch, long steps) {
        return settings(microBatch, steps, 4);
    }

    private static TrainSettings settings(int microBatch, long steps, int checkpointEvery) {
        return new TrainSettings(16, 8, microBatch, new CosineSchedule(0.05, 3, steps, 0.1), AdamWSettings.LLAMA, 1.0, 5,
                4, 8, checkpointEvery, 1);
    }

    private Trainer trainer(BigramModel model, TrainSettings s, AdamW adamw, Path out, TrainListener listener) throws IOException {
        Trainer.Outputs outputs = out == null ? new Trainer.Outputs(null, null, null, null, null)
                : new Trainer.Outputs(MetricsLog.open(out.resolve("metrics.jsonl"), 0), out.resolve("loss.png"), "test",
                        new CheckpointStore(out.resolve("checkpoints"), 2), new CheckpointStore.Model(model.config(), null, 0, 1));
        return new Trainer(model, s, adamw, data, parallel, outputs, listener);
    }

    @Test
    void twoHalfBatchesGiveTheStepOfOneFullBatch() throws IOException {
        BigramModel full = new BigramModel(VOCAB, 8, 1);
        BigramModel halves = new BigramModel(VOCAB, 8, 1);
        Trainer.StepResult a = trainer(full, settings(8, 10), new AdamW(full.parameters(), AdamWSettings.LLAMA), null, TrainListener.NONE)
                .step(RunState.start(5));
        Trainer.StepResult b = trainer(halves, settings(4, 10), new AdamW(halves.parameters(), AdamWSettings.LLAMA), null, TrainListener.NONE)
                .step(RunState.start(5));
        assertEquals(a.state(), b.state());
        assertEquals(a.loss(), b.loss(), 1e-12 * a.loss());
        assertEquals(a.gradNorm(), b.gradNorm(), 1e-5 * a.gradNorm());
        float[] pa = full.parameters().values();
        float[] pb = halves.parameters().values();
        for (int i = 0; i < pa.length; i++) {
            assertEquals(pa[i], pb[i], 1e-5f, "parameter " + i);
        }
    }

    @Test
    void lossFallsAndMetricsRecordEveryStepAndValidation() throws IOException {
        BigramModel model = new BigramModel(VOCAB, 8, 1);
        Path out = dir.resolve("run");
        Trainer t = trainer(model, settings(4, 30, 0), new AdamW(model.parameters(), AdamWSettings.LLAMA), out, TrainListener.NONE);
        RunState end = t.run(RunState.start(5));
        assertEquals(30, end.step());
        assertEquals(30 * 8 * 16, end.tokens());
        List<JsonNode> lines = metrics(out);
        List<JsonNode> steps = lines.stream().filter(n -> n.has("loss")).toList();
        List<JsonNode> vals = lines.stream().filter(n -> n.has("val_loss")).toList();
        assertEquals(30, steps.size());
        for (int i = 0; i < 30; i++) {
            JsonNode s = steps.get(i);
            assertEquals(i + 1, s.get("step").asLong());
            for (String key : List.of("loss", "lr", "grad_norm", "tokens_per_s")) {
                assertTrue(s.get(key).isNumber() && Double.isFinite(s.get(key).asDouble()), key + " in " + s);
            }
            assertEquals(new CosineSchedule(0.05, 3, 30, 0.1).rate(i), s.get("lr").asDouble(), 0, "lr applied in step " + (i + 1));
        }
        // Validation before the first step, every 4 steps, and after the last.
        assertEquals(List.of(0L, 4L, 8L, 12L, 16L, 20L, 24L, 28L, 30L), vals.stream().map(n -> n.get("step").asLong()).toList());
        vals.forEach(v -> assertEquals(2, v.size(), "a validation line is {step, val_loss}: " + v));
        double first = vals.getFirst().get("val_loss").asDouble();
        double last = vals.getLast().get("val_loss").asDouble();
        assertTrue(last < first - 1.0, "validation loss fell from " + first + " to " + last);
        assertTrue(Math.log(VOCAB) - first < 1.0, "a random model starts near ln(vocab): " + first);
        byte[] png = Files.readAllBytes(out.resolve("loss.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
    }

    @Test
    void resumedRunRepeatsTheUninterruptedLossesBitForBit() throws IOException {
        BigramModel straight = new BigramModel(VOCAB, 8, 1);
        Path a = dir.resolve("a");
        trainer(straight, settings(4, 14), new AdamW(straight.parameters(), AdamWSettings.LLAMA), a, TrainListener.NONE).run(RunState.start(5));

        // The same run killed after step 10: its latest checkpoint is from step 8.
        BigramModel killed = new BigramModel(VOCAB, 8, 1);
        Path b = dir.resolve("b");
        TrainListener kill = new TrainListener() {
            @Override
            public void stepped(StepMetrics m, long total) {
                if (m.step() == 10) {
                    throw new IllegalStateException("killed");
                }
            }
        };
        assertThrows(IllegalStateException.class,
                () -> trainer(killed, settings(4, 14), new AdamW(killed.parameters(), AdamWSettings.LLAMA), b, kill).run(RunState.start(5)));

        BigramModel resumed = new BigramModel(VOCAB, 8, 99); // other initial weights: the checkpoint must replace them all
        AdamW adamw = new AdamW(resumed.parameters(), AdamWSettings.LLAMA);
        CheckpointStore store = new CheckpointStore(b.resolve("checkpoints"), 2);
        Path latest = store.latest().orElseThrow();
        assertEquals("step-000008", latest.getFileName().toString());
        RunState state = CheckpointStore.restore(latest, resumed.parameters(), adamw);
        assertEquals(8, state.step());
        assertEquals(8 * 8, state.windowsDrawn());
        Trainer.Outputs outputs = new Trainer.Outputs(MetricsLog.open(b.resolve("metrics.jsonl"), state.step()), b.resolve("loss.png"), "test",
                store, new CheckpointStore.Model(resumed.config(), null, 0, 1));
        new Trainer(resumed, settings(4, 14), adamw, data, parallel, outputs, TrainListener.NONE).run(state);

        assertArrayEquals(straight.parameters().values(), resumed.parameters().values());
        List<String> expected = metrics(a).stream().map(TrainerTest::withoutTimes).toList();
        List<String> actual = metrics(b).stream().map(TrainerTest::withoutTimes).toList();
        assertEquals(expected, actual, "metrics.jsonl of the resumed run reads as the uninterrupted run's");
        // Two checkpoints kept: steps 12 and 14.
        try (Stream<Path> s = Files.list(b.resolve("checkpoints"))) {
            assertEquals(List.of("latest", "step-000012", "step-000014"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void checkpointHoldsTheWeightsUnderTheirHuggingFaceNames() throws IOException {
        BigramModel model = new BigramModel(VOCAB, 8, 1);
        Path out = dir.resolve("run");
        trainer(model, settings(8, 4), new AdamW(model.parameters(), AdamWSettings.LLAMA), out, TrainListener.NONE).run(RunState.start(5));
        Path cp = out.resolve("checkpoints/step-000004");
        try (SafetensorsFile f = SafetensorsFile.open(cp.resolve(CheckpointStore.MODEL_FILE))) {
            assertEquals(List.of("lm_head.weight", "model.embed_tokens.weight", "model.norm.weight"),
                    f.tensors().stream().map(t -> t.name()).sorted().toList());
            float[] lmHead = f.tensor("lm_head.weight").toFloatArray();
            int offset = (int) model.parameters().tensor("lm_head.weight").offset();
            for (int i = 0; i < lmHead.length; i++) {
                assertEquals(model.parameters().values()[offset + i], lmHead[i], 0);
            }
        }
        JsonNode config = new ObjectMapper().readTree(cp.resolve("config.json").toFile());
        assertEquals(VOCAB, config.get("vocab_size").asInt());
        assertEquals(4, new ObjectMapper().readTree(cp.resolve("state.json").toFile()).get("step").asInt());
    }

    @Test
    void aNonFiniteActivationStopsTheRunNamingTheStepAndLayer() throws IOException {
        BigramModel model = new BigramModel(VOCAB, 8, 1);
        Trainer t = trainer(model, settings(8, 10), new AdamW(model.parameters(), AdamWSettings.LLAMA), null, new TrainListener() {
            @Override
            public void stepped(StepMetrics m, long total) {
                if (m.step() == 3) {
                    model.parameters().values()[5] = Float.NaN;
                }
            }
        });
        TrainingStoppedException e = assertThrows(TrainingStoppedException.class, () -> t.run(RunState.start(5)));
        assertEquals(4, e.step());
        assertTrue(e.getMessage().startsWith("step 4: non-finite value (NaN or Inf) in lm_head logits"), e.getMessage());
        assertTrue(e.getCause() instanceof NonFiniteException);
    }

    @Test
    void aNonFiniteLossFromTheModelStopsTheRun() throws IOException {
        BigramModel model = new BigramModel(VOCAB, 8, 1).checkFinite(false);
        model.parameters().values()[(int) model.parameters().tensor("model.norm.weight").offset()] = Float.POSITIVE_INFINITY;
        Trainer t = trainer(model, settings(8, 10), new AdamW(model.parameters(), AdamWSettings.LLAMA), null, TrainListener.NONE);
        TrainingStoppedException e = assertThrows(TrainingStoppedException.class, () -> t.step(RunState.start(5)));
        assertEquals(1, e.step());
        assertEquals("step 1: non-finite value (NaN or Inf) in the loss (NaN); training stopped", e.getMessage());
    }

    private static List<JsonNode> metrics(Path out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            nodes.add(json.readTree(line));
        }
        return nodes;
    }

    private static String withoutTimes(JsonNode n) {
        com.fasterxml.jackson.databind.node.ObjectNode o = n.deepCopy();
        o.remove("tokens_per_s");
        o.remove("seconds");
        return o.toString();
    }
}
