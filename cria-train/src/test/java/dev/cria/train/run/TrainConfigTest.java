package dev.cria.train.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.model.LlamaConfig;
import dev.cria.train.optim.AdamWSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainConfigTest {

    @TempDir
    Path dir;

    private static final String MINIMAL = """
            model: {dim: 64, layers: 2, heads: 4, hidden: 160}
            seq_len: 32
            batch_tokens: 256
            steps: 100
            lr: 1.0e-3
            output: out
            data:
              train: a.tok
              tokenizer: t.model
            """;

    private TrainConfig read(String yaml) throws IOException {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, yaml);
        return TrainConfig.read(file);
    }

    @Test
    void absentKeysTakeThePapersDefaults() throws IOException {
        TrainConfig c = read(MINIMAL);
        TrainSettings s = c.trainSettings();
        assertEquals(AdamWSettings.LLAMA, s.adamw());
        assertEquals(2000, s.schedule().warmupSteps());
        assertEquals(0.1, s.schedule().finalRatio());
        assertEquals(1.0, s.gradClip());
        assertEquals(8, s.batchWindows());
        assertEquals(8, s.microBatch(), "the whole batch in one call");
        assertEquals("selective", c.policy());
        assertEquals(List.of("a.tok"), c.data().train(), "a single path is a list of one");
        LlamaConfig m = c.llamaConfig(500);
        assertEquals(4, m.kvHeads());
        assertEquals(32, m.contextLength());
        assertEquals(1e-5f, m.rmsNormEps());
    }

    @Test
    void readsNumbersWrittenWithoutADecimalPoint() throws IOException {
        // YAML 1.1 resolves "1e-3" to a string; the config still reads it as the number people mean.
        assertEquals(1e-3, read(MINIMAL.replace("lr: 1.0e-3", "lr: 1e-3")).lr());
    }

    @Test
    void writtenYamlReadsBackTheSameConfig() throws IOException {
        TrainConfig c = read(MINIMAL).withSteps(250).withThreads(3).withCheckpoint("full");
        Path file = dir.resolve("again.yaml");
        c.write(file);
        assertEquals(c, TrainConfig.read(file));
    }

    @Test
    void aModelVocabularyOtherThanTheTokenizersIsAnError() throws IOException {
        TrainConfig c = read(MINIMAL.replace("hidden: 160}", "hidden: 160, vocab: 400}"));
        TrainConfig.ConfigException e = assertThrows(TrainConfig.ConfigException.class, () -> c.llamaConfig(500));
        assertTrue(e.getMessage().contains("model.vocab is 400 but the tokenizer and shards have 500 tokens"), e.getMessage());
    }

    @Test
    void headsThatDoNotSplitTheWidthAreAnError() {
        TrainConfig.ConfigException e = assertThrows(TrainConfig.ConfigException.class,
                () -> read(MINIMAL.replace("heads: 4", "heads: 3")));
        assertTrue(e.getMessage().contains("model.dim 64 must split into model.heads 3 heads of an even size"), e.getMessage());
    }

    @Test
    void dataNeedsShardsOrEuroparlButNotBoth() {
        TrainConfig.ConfigException e = assertThrows(TrainConfig.ConfigException.class,
                () -> read(MINIMAL + "  europarl: {language: en}\n"));
        assertTrue(e.getMessage().contains("data needs either 'train' (token shards, with 'tokenizer') or 'europarl', not both"), e.getMessage());
    }

    @Test
    void anUnknownNestedKeyNamesItsPath() {
        TrainConfig.ConfigException e = assertThrows(TrainConfig.ConfigException.class,
                () -> read(MINIMAL.replace("hidden: 160}", "hiden: 160}")));
        assertTrue(e.getMessage().contains(": line 1, column ") && e.getMessage().contains("unknown key 'model.hiden'"), e.getMessage());
    }
}
