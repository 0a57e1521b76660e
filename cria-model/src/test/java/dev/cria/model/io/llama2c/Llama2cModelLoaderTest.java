package dev.cria.model.io.llama2c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.model.LlamaConfig;
import dev.cria.model.LlamaModel;
import dev.cria.model.LlamaWeights;
import dev.cria.model.ModelFormatException;
import dev.cria.model.ModelLoader;
import dev.cria.model.SequenceState;
import dev.cria.model.TestModels;
import dev.cria.model.Transformer;
import dev.cria.tensor.Matrices;
import dev.cria.tensor.Matrix;
import dev.cria.tensor.Parallel;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Llama2cModelLoaderTest {
    private static final LlamaConfig UNTIED = new LlamaConfig(64, 96, 2, 4, 2, 40, 32, 1e-5f, 10000f, null, false);
    private static Parallel parallel;

    @TempDir
    Path dir;

    @BeforeAll
    static void threads() {
        parallel = new Parallel(2);
    }

    @AfterAll
    static void stop() {
        parallel.close();
    }

    private static Path stories() {
        return SharedData.file("models/stories260K/stories260K.bin");
    }

    /** The logits after each of {@code n} tokens. */
    private static float[][] logits(LlamaModel model, int n) {
        Transformer t = new Transformer(model, parallel);
        SequenceState s = t.newState();
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = t.decode(s, (i * 5 + 1) % model.config().vocabSize()).clone();
        }
        return out;
    }

    @Test
    void readsTheStories260KHeader() throws IOException {
        try (LlamaModel m = Llama2cModelLoader.load(stories(), null)) {
            assertEquals(new LlamaConfig(64, 172, 5, 8, 4, 512, 512, 1e-5f, 10000f, null, true), m.config());
            assertTrue(m.weights().output() == m.weights().tokenEmbedding());
        }
    }

    @Test
    void aV1ExportOfStories260KGivesIdenticalLogits() throws IOException {
        Path v1 = dir.resolve("stories260K-v1.bin");
        try (LlamaModel v0 = Llama2cModelLoader.load(stories(), null)) {
            Llama2cWriter.v1(v1, v0.config(), v0.weights());
            try (LlamaModel loaded = ModelLoader.load(v1, SharedData.file("models/stories260K/tok512.bin"))) {
                assertEquals(v0.config(), loaded.config());
                assertEquals(512, loaded.tokenizer().vocabSize());
                float[][] expected = logits(v0, 12);
                float[][] actual = logits(loaded, 12);
                for (int i = 0; i < expected.length; i++) {
                    assertArrayEquals(expected[i], actual[i], "position " + i);
                }
            }
        }
    }

    @Test
    void v0AndV1WithAnOwnClassifierReadItAfterTheOtherWeights() throws IOException {
        LlamaModel model = TestModels.random(UNTIED, 11);
        float[][] expected = logits(model, 10);
        Path v0 = dir.resolve("untied-v0.bin");
        Path v1 = dir.resolve("untied-v1.bin");
        Llama2cWriter.v0(v0, UNTIED, model.weights());
        Llama2cWriter.v1(v1, UNTIED, model.weights());
        assertEquals(-40, ByteBuffer.wrap(Files.readAllBytes(v0)).order(ByteOrder.LITTLE_ENDIAN).getInt(20), "v0 marks it by a negative vocab_size");
        for (Path file : List.of(v0, v1)) {
            try (LlamaModel loaded = Llama2cModelLoader.load(file, null)) {
                assertFalse(loaded.config().tiedEmbeddings(), file.toString());
                assertArrayEquals(model.weights().output().toFloatArray(), loaded.weights().output().toFloatArray());
                float[][] actual = logits(loaded, 10);
                for (int i = 0; i < expected.length; i++) {
                    assertArrayEquals(expected[i], actual[i], file + " position " + i);
                }
            }
        }
    }

    @Test
    void v2WeightsAreTheirInt8ValuesTimesTheGroupScale() throws IOException {
        LlamaModel model = TestModels.random(UNTIED, 12);
        // Group 64 over 96-column rows: groups straddle rows of w2, as export.py's flat grouping allows.
        int gs = 64;
        Path v2 = dir.resolve("untied-v2.bin");
        Llama2cWriter.v2(v2, UNTIED, model.weights(), gs);
        List<float[]> dequantized = new ArrayList<>();
        for (float[] m : Llama2cWriter.matrices(UNTIED, model.weights())) {
            dequantized.add(Llama2cWriter.quantize(m, gs).dequantize(gs));
        }
        try (LlamaModel loaded = Llama2cModelLoader.load(v2, null)) {
            LlamaWeights w = loaded.weights();
            List<float[]> actual = Llama2cWriter.matrices(UNTIED, w);
            for (int i = 0; i < actual.size(); i++) {
                assertArrayEquals(dequantized.get(i), actual.get(i), "matrix " + i);
            }
            assertArrayEquals(model.weights().layers().get(1).ffnNorm(), w.layers().get(1).ffnNorm());
            LlamaModel expected = new LlamaModel(UNTIED, heapWeights(UNTIED, model.weights(), dequantized), null, null, "dequantized");
            float[][] e = logits(expected, 10);
            float[][] a = logits(loaded, 10);
            for (int i = 0; i < e.length; i++) {
                assertArrayEquals(e[i], a[i], "position " + i);
            }
        }
    }

    /** {@code source}'s norms with the matrices of {@code matrices} (in the v1/v2 order). */
    private static LlamaWeights heapWeights(LlamaConfig c, LlamaWeights source, List<float[]> matrices) {
        int L = c.layers();
        Matrix embedding = Matrices.of(matrices.get(0), c.vocabSize(), c.dim());
        List<LlamaWeights.Layer> layers = new ArrayList<>();
        for (int l = 0; l < L; l++) {
            LlamaWeights.Layer s = source.layers().get(l);
            layers.add(new LlamaWeights.Layer(s.attentionNorm(),
                    Matrices.of(matrices.get(1 + l), c.dim(), c.dim()),
                    Matrices.of(matrices.get(1 + L + l), c.kvDim(), c.dim()),
                    Matrices.of(matrices.get(1 + 2 * L + l), c.kvDim(), c.dim()),
                    Matrices.of(matrices.get(1 + 3 * L + l), c.dim(), c.dim()),
                    s.ffnNorm(),
                    Matrices.of(matrices.get(1 + 4 * L + l), c.hiddenDim(), c.dim()),
                    Matrices.of(matrices.get(1 + 5 * L + l), c.dim(), c.hiddenDim()),
                    Matrices.of(matrices.get(1 + 6 * L + l), c.hiddenDim(), c.dim())));
        }
        Matrix output = c.tiedEmbeddings() ? embedding : Matrices.of(matrices.get(1 + 7 * L), c.vocabSize(), c.dim());
        return new LlamaWeights(embedding, layers, source.finalNorm(), output, null);
    }

    @Test
    void aTruncatedCheckpointSaysHowManyBytesTheHeaderImplies() throws IOException {
        byte[] whole = Files.readAllBytes(stories());
        Path cut = dir.resolve("cut.bin");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 4));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Llama2cModelLoader.load(cut, null));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("the file has " + (whole.length - 4) + " bytes")
                && e.getMessage().contains("implies " + whole.length), e.getMessage());

        Path tiny = dir.resolve("tiny.bin");
        Files.write(tiny, new byte[10]);
        ModelFormatException t = assertThrows(ModelFormatException.class, () -> Llama2cModelLoader.load(tiny, null));
        assertTrue(t.getMessage().contains("truncated"), t.getMessage());
    }

    @Test
    void aHeaderThatIsNotAModelIsRefused() throws IOException {
        Path text = dir.resolve("notes.bin");
        Files.writeString(text, "this is not a checkpoint at all, only some text that is long enough");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.load(text, null));
        assertTrue(e.getMessage().contains(text.toString()) && e.getMessage().contains("byte 0"), e.getMessage());

        byte[] header = new byte[256];
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0x616b3432).putInt(3);
        Path v3 = dir.resolve("v3.bin");
        Files.write(v3, header);
        ModelFormatException v = assertThrows(ModelFormatException.class, () -> Llama2cModelLoader.load(v3, null));
        assertTrue(v.getMessage().contains("version 3") && v.getMessage().contains("byte 4"), v.getMessage());

        h.putInt(4, 2).putInt(8, 64).putInt(12, 96).putInt(16, 1).putInt(20, 4).putInt(24, 4).putInt(28, 40).putInt(32, 8);
        header[36] = 1;
        h.putInt(37, 0);
        Path noGroups = dir.resolve("gs0.bin");
        Files.write(noGroups, header);
        ModelFormatException g = assertThrows(ModelFormatException.class, () -> Llama2cModelLoader.load(noGroups, null));
        assertTrue(g.getMessage().contains("group size 0") && g.getMessage().contains("byte 37"), g.getMessage());
    }

    @Test
    void aTokenizerLargerThanTheVocabularyIsRefused() throws IOException {
        LlamaConfig small = new LlamaConfig(64, 96, 1, 4, 4, 300, 16, 1e-5f, 10000f, null, true);
        Path v1 = dir.resolve("small.bin");
        Llama2cWriter.v1(v1, small, TestModels.randomWeights(small, 3, null));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Llama2cModelLoader.load(v1, SharedData.file("models/stories260K/tok512.bin")));
        assertTrue(e.getMessage().contains("512 tokens") && e.getMessage().contains("300"), e.getMessage());
    }
}
