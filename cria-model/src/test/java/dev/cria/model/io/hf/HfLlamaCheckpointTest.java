package dev.cria.model.io.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.model.LlamaConfig;
import dev.cria.model.LlamaModel;
import dev.cria.model.LlamaWeights;
import dev.cria.model.convert.GgufModelWriter;
import dev.cria.model.convert.LlamaCppPeer;
import dev.cria.model.convert.RandomLlama;
import dev.cria.model.io.gguf.GgufModelLoader;
import dev.cria.model.io.safetensors.SafetensorsCheckpoint;
import dev.cria.model.io.safetensors.SafetensorsDType;
import dev.cria.model.io.safetensors.SafetensorsFile;
import dev.cria.model.io.safetensors.SafetensorsWriter;
import dev.cria.tensor.DType;
import dev.cria.tensor.Layouts;
import dev.cria.tensor.Matrices;
import dev.cria.tensor.Matrix;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfLlamaCheckpointTest {

    @TempDir
    Path dir;

    /** A small grouped-query model (8 query heads over 4 key/value heads) with a separate output matrix. */
    static LlamaModel untiedGqaModel() {
        LlamaModel tied = RandomLlama.create(new RandomLlama.Spec(64, 2, 8, 4, 96, 300, 128, 9));
        LlamaWeights w = tied.weights();
        float[] out = RotaryRowOrderTest.random(300 * 64, 10);
        LlamaConfig c = tied.config();
        LlamaConfig untied = new LlamaConfig(c.dim(), c.hiddenDim(), c.layers(), c.heads(), c.kvHeads(), c.vocabSize(), c.contextLength(),
                c.rmsNormEps(), c.ropeTheta(), null, false);
        return new LlamaModel(untied, new LlamaWeights(w.tokenEmbedding(), w.layers(), w.finalNorm(), Matrices.of(out, 300, 64), null),
                tied.tokenizer(), "{{ messages }}", "untied");
    }

    static void assertSameWeights(LlamaWeights expected, LlamaWeights actual) {
        assertArrayEquals(expected.tokenEmbedding().toFloatArray(), actual.tokenEmbedding().toFloatArray(), "embedding");
        assertArrayEquals(expected.output().toFloatArray(), actual.output().toFloatArray(), "output");
        assertArrayEquals(expected.finalNorm(), actual.finalNorm(), "final norm");
        for (int i = 0; i < expected.layers().size(); i++) {
            LlamaWeights.Layer e = expected.layers().get(i);
            LlamaWeights.Layer a = actual.layers().get(i);
            assertArrayEquals(e.attentionNorm(), a.attentionNorm());
            assertArrayEquals(e.ffnNorm(), a.ffnNorm());
            Matrix[] em = {e.wq(), e.wk(), e.wv(), e.wo(), e.w1(), e.w2(), e.w3()};
            Matrix[] am = {a.wq(), a.wk(), a.wv(), a.wo(), a.w1(), a.w2(), a.w3()};
            for (int k = 0; k < em.length; k++) {
                assertArrayEquals(em[k].toFloatArray(), am[k].toFloatArray(), "layer " + i + " matrix " + k);
            }
        }
    }

    @Test
    void writtenCheckpointReadsBackToTheSameModel() throws IOException {
        LlamaModel model = untiedGqaModel();
        Path ckpt = dir.resolve("hf");
        HfLlamaWriter.write(model, ckpt, SafetensorsDType.F32, HfLlamaWriter.DEFAULT_SHARD_BYTES);
        try (LlamaModel back = HfLlamaReader.read(ckpt)) {
            assertEquals(model.config(), back.config());
            assertSameWeights(model.weights(), back.weights());
            assertEquals(model.tokenizer().vocabSize(), back.tokenizer().vocabSize());
            assertEquals("{{ messages }}", back.chatTemplate());
        }
    }

    @Test
    void projectionsAreStoredInHuggingFaceRowOrder() throws IOException {
        LlamaModel model = untiedGqaModel();
        Path ckpt = dir.resolve("hf");
        HfLlamaWriter.write(model, ckpt, SafetensorsDType.F32, HfLlamaWriter.DEFAULT_SHARD_BYTES);
        try (SafetensorsFile f = SafetensorsFile.open(ckpt.resolve("model.safetensors"))) {
            float[] storedK = f.tensor("model.layers.1.self_attn.k_proj.weight").toFloatArray();
            // llama.cpp's permute turns what Hugging Face stores back into the model's (GGUF) order.
            assertArrayEquals(model.weights().layers().get(1).wk().toFloatArray(), RotaryRowOrderTest.numpyPermute(storedK, 32, 64, 4));
            float[] storedQ = f.tensor("model.layers.0.self_attn.q_proj.weight").toFloatArray();
            assertArrayEquals(model.weights().layers().get(0).wq().toFloatArray(), RotaryRowOrderTest.numpyPermute(storedQ, 64, 64, 8));
            assertArrayEquals(model.weights().layers().get(0).wv().toFloatArray(), f.tensor("model.layers.0.self_attn.v_proj.weight").toFloatArray());
        }
    }

    @Test
    void bf16CheckpointIsMappedWithoutCopiesExceptTheRotaryProjections() throws IOException {
        LlamaModel model = untiedGqaModel();
        Path ckpt = dir.resolve("hf");
        HfLlamaWriter.write(model, ckpt, SafetensorsDType.BF16, HfLlamaWriter.DEFAULT_SHARD_BYTES);
        try (LlamaModel back = HfLlamaReader.read(ckpt)) {
            LlamaWeights.Layer l = back.weights().layers().get(0);
            assertEquals(DType.BF16, l.w2().type());
            assertEquals(DType.BF16, l.wq().type());
            assertTrue(l.w2().data().isMapped(), "down_proj is the mapped file");
            float[] exact = model.weights().layers().get(0).w2().toFloatArray();
            float[] read = l.w2().toFloatArray();
            for (int i = 0; i < exact.length; i++) {
                assertEquals(Layouts.bf16ToF32(Layouts.f32ToBf16(exact[i])), read[i]);
            }
        }
    }

    @Test
    void shardedCheckpointReadsBackAndTiedEmbeddingsAreNotStored() throws IOException {
        LlamaModel model = RandomLlama.create(new RandomLlama.Spec(64, 3, 4, 4, 128, 400, 64, 2));
        Path ckpt = dir.resolve("hf");
        List<Path> files = HfLlamaWriter.write(model, ckpt, SafetensorsDType.F16, 40_000);
        assertTrue(files.contains(ckpt.resolve(SafetensorsCheckpoint.INDEX_FILE)), files.toString());
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(ckpt)) {
            assertTrue(c.shards().size() > 2);
            assertTrue(c.find("lm_head.weight").isEmpty());
        }
        try (LlamaModel back = HfLlamaReader.read(ckpt)) {
            assertTrue(back.config().tiedEmbeddings());
            assertSame(back.weights().tokenEmbedding(), back.weights().output());
            assertEquals(DType.F16, back.weights().layers().get(2).w3().type());
        }
    }

    /** Writes a checkpoint of {@code model}, then rewrites one tensor through {@code edit}. */
    private Path checkpointWith(LlamaModel model, Consumer<SafetensorsWriter> edit, String... drop) throws IOException {
        Path ckpt = dir.resolve("hf");
        HfLlamaWriter.write(model, ckpt, SafetensorsDType.F32, HfLlamaWriter.DEFAULT_SHARD_BYTES);
        Path file = ckpt.resolve("model.safetensors");
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (var t : f.tensors()) {
                if (!Arrays.asList(drop).contains(t.name())) {
                    w.add(t.name(), t.toFloatArray(), t.shape());
                }
            }
            edit.accept(w);
            w.write(dir.resolve("tmp.safetensors"));
        }
        Files.move(dir.resolve("tmp.safetensors"), file, StandardCopyOption.REPLACE_EXISTING);
        return ckpt;
    }

    @Test
    void keyProjectionOfTheWrongShapeNamesTensorAndConfig() throws IOException {
        Path ckpt = checkpointWith(untiedGqaModel(), w -> w.add("model.layers.1.self_attn.k_proj.weight", new float[64 * 64], 64, 64),
                "model.layers.1.self_attn.k_proj.weight");
        IOException e = assertThrows(IOException.class, () -> HfLlamaReader.read(ckpt));
        assertTrue(e.getMessage().startsWith(ckpt.resolve("model.safetensors") + ": byte "), e.getMessage());
        assertTrue(e.getMessage().endsWith("tensor 'model.layers.1.self_attn.k_proj.weight' is F32 [64, 64], but config.json"
                + " ((num_key_value_heads × head size) × hidden_size) needs [32, 64]"), e.getMessage());
    }

    @Test
    void missingOutputOfAnUntiedModelIsAnError() throws IOException {
        Path ckpt = checkpointWith(untiedGqaModel(), w -> { }, "lm_head.weight");
        HfFormatException e = assertThrows(HfFormatException.class, () -> HfLlamaReader.read(ckpt));
        assertEquals(ckpt.resolve("model.safetensors") + ": no tensor 'lm_head.weight' and config.json says tie_word_embeddings is false",
                e.getMessage());
    }

    @Test
    void biasTheConfigDoesNotKnowIsAnError() throws IOException {
        Path ckpt = checkpointWith(untiedGqaModel(), w -> w.add("model.layers.0.self_attn.q_proj.bias", new float[64], 64));
        HfFormatException e = assertThrows(HfFormatException.class, () -> HfLlamaReader.read(ckpt));
        assertEquals(ckpt.resolve("model.safetensors") + ": 1 tensor(s) that a LLaMA model does not have, first"
                + " 'model.layers.0.self_attn.q_proj.bias' (F32 [64])", e.getMessage());
    }

    @Test
    void integerWeightsAreRefusedWithTheirDtype() throws IOException {
        Path ckpt = checkpointWith(untiedGqaModel(), w -> w.add("model.layers.0.mlp.up_proj.weight", SafetensorsDType.I32,
                new long[] {96, 64}, MemorySegment.ofArray(new byte[96 * 64 * 4])), "model.layers.0.mlp.up_proj.weight");
        var e = assertThrows(IOException.class, () -> HfLlamaReader.read(ckpt));
        assertTrue(e.getMessage().endsWith("tensor 'model.layers.0.mlp.up_proj.weight' has dtype I32; weights must be F32, F16 or BF16"),
                e.getMessage());
    }

    @Test
    void folderWithoutConfigIsAnError() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("nothing"));
        HfFormatException e = assertThrows(HfFormatException.class, () -> HfLlamaReader.read(empty));
        assertEquals(empty + ": no config.json in the checkpoint folder", e.getMessage());
    }

    /**
     * stories260K taken from GGUF to the Hugging Face layout and back: llama.cpp, running the GGUF written from the
     * Hugging Face checkpoint, produces the reference greedy tokens, so the two layouts hold the same model.
     */
    @Test
    void stories260KThroughHuggingFaceLayoutGivesLlamaCppTheReferenceTokens() throws IOException {
        Path ckpt = dir.resolve("hf");
        Path twin = dir.resolve("twin.gguf");
        try (LlamaModel gguf = GgufModelLoader.load(SharedData.file("models/stories260K/stories260K-f32.gguf"))) {
            HfLlamaWriter.write(gguf, ckpt, HfLlamaWriter.losslessDType(gguf.weights()), HfLlamaWriter.DEFAULT_SHARD_BYTES);
            try (LlamaModel hf = HfLlamaReader.read(ckpt)) {
                assertSameWeights(gguf.weights(), hf.weights());
                new GgufModelWriter().write(hf, twin, DType.F32, "stories260K via HF");
            }
        }
        byte[] bytes = Files.readAllBytes(SharedData.file("models/stories260K/reference/stories260K_bos_greedy64.tokens.i32"));
        int[] reference = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(reference);
        assertArrayEquals(Arrays.copyOfRange(reference, 1, reference.length), LlamaCppPeer.greedy(twin, new int[] {1}, 64));
    }
}
