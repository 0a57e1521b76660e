package dev.cria.model.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.gguf.GgmlType;
import dev.cria.gguf.GgufFile;
import dev.cria.gguf.GgufTensor;
import dev.cria.model.LlamaModel;
import dev.cria.model.io.gguf.GgufModelLoader;
import dev.cria.tensor.DType;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GGUF files written from a real model (stories260K), judged by llama.cpp and by llama.cpp's own converter's output. */
class GgufModelWriterTest {

    @TempDir
    Path dir;

    /** The real model, mapped by the production GGUF loader; close it. */
    static LlamaModel stories260K() throws IOException {
        return GgufModelLoader.load(SharedData.file("models/stories260K/stories260K-f32.gguf"));
    }

    /** BOS then 64 greedy tokens, from an independent float64 NumPy forward pass. */
    static int[] referenceTokens() throws IOException {
        byte[] bytes = Files.readAllBytes(SharedData.file("models/stories260K/reference/stories260K_bos_greedy64.tokens.i32"));
        int[] ids = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(ids);
        return ids;
    }

    static int[] afterBos(int[] reference) {
        return Arrays.copyOfRange(reference, 1, reference.length);
    }

    @Test
    void f32FileGivesLlamaCppTheReferenceGreedyTokens() throws IOException {
        Path out = dir.resolve("s.gguf");
        GgufModelWriter.Report report;
        try (LlamaModel model = stories260K()) {
            report = new GgufModelWriter().write(model, out, DType.F32, "stories260K");
        }
        assertTrue(report.fallbacks().isEmpty());
        int[] reference = referenceTokens();
        assertArrayEquals(afterBos(reference), LlamaCppPeer.greedy(out, new int[] {1}, 64));
    }

    @Test
    void writesTheTensorsAndKeysOfLlamaCppsOwnConverter() throws IOException {
        Path out = dir.resolve("s.gguf");
        try (LlamaModel model = stories260K()) {
            new GgufModelWriter().write(model, out, DType.F32, "stories260K");
        }
        try (GgufFile ours = GgufFile.open(out);
             GgufFile theirs = GgufFile.open(SharedData.file("models/stories260K/stories260K-llamacpp-f32.gguf"))) {
            // llama.context_length is left out: their converter wrote its own default (128), not the model's 512.
            for (String key : List.of("general.architecture", "llama.embedding_length", "llama.block_count",
                    "llama.feed_forward_length", "llama.rope.dimension_count", "llama.attention.head_count",
                    "llama.attention.head_count_kv", "llama.attention.layer_norm_rms_epsilon",
                    "tokenizer.ggml.model", "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id")) {
                assertEquals(theirs.metadata().get(key), ours.metadata().get(key), key);
            }
            assertArrayEquals(theirs.metadata().getStringArray("tokenizer.ggml.tokens"), ours.metadata().getStringArray("tokenizer.ggml.tokens"));
            for (GgufTensor t : ours.tensors()) {
                GgufTensor expected = theirs.tensor(t.name());
                assertEquals(expected.type(), t.type(), t.name());
                assertArrayEquals(expected.dimensions(), t.dimensions(), t.name());
                assertArrayEquals(expected.data().toArray(ValueLayout.JAVA_BYTE), t.data().toArray(ValueLayout.JAVA_BYTE), t.name());
            }
            // Tied embeddings: llama.cpp's llama2.c converter duplicates them as output.weight, we leave it out as gguf-py does.
            assertEquals(theirs.tensors().size() - 1, ours.tensors().size());
        }
    }

    @Test
    void q8_0KeepsTheRowsOf172InF32AndSaysWhich() throws IOException {
        Path out = dir.resolve("q8.gguf");
        GgufModelWriter.Report report;
        try (LlamaModel model = stories260K()) {
            report = new GgufModelWriter().write(model, out, DType.Q8_0, "stories260K");
        }
        List<String> kept = report.fallbacks().stream().map(GgufModelWriter.TensorChoice::name).toList();
        assertEquals(List.of("blk.0.ffn_down.weight", "blk.1.ffn_down.weight", "blk.2.ffn_down.weight", "blk.3.ffn_down.weight",
                "blk.4.ffn_down.weight"), kept);
        assertEquals("row length 172 is not a multiple of 32", report.fallbacks().getFirst().keptF32Because());
        assertTrue(report.describe().contains("31 of 36 weight matrices in Q8_0, 11 vectors in F32"), report.describe());
        try (GgufFile gguf = GgufFile.open(out)) {
            assertEquals(GgmlType.Q8_0, gguf.tensor("blk.0.ffn_gate.weight").type());
            assertEquals(GgmlType.F32, gguf.tensor("blk.0.ffn_down.weight").type());
            assertEquals(GgmlType.F32, gguf.tensor("blk.0.attn_norm.weight").type());
            assertEquals(7, gguf.metadata().getInt("general.file_type"));
            assertEquals(2, gguf.metadata().getInt("general.quantization_version"));
        }
        int[] expected = afterBos(referenceTokens());
        int[] got = LlamaCppPeer.greedy(out, new int[] {1}, 64);
        assertArrayEquals(Arrays.copyOf(expected, 50), Arrays.copyOf(got, 50), "llama.cpp's greedy tokens from the Q8_0 file");
    }

    @Test
    void q4_0FileLoadsInLlamaCppAndGenerates() throws IOException {
        Path out = dir.resolve("q4.gguf");
        GgufModelWriter.Report report;
        try (LlamaModel model = stories260K()) {
            report = new GgufModelWriter().write(model, out, DType.Q4_0, "stories260K");
        }
        assertEquals(5, report.fallbacks().size());
        try (GgufFile gguf = GgufFile.open(out)) {
            assertEquals(GgmlType.Q4_0, gguf.tensor("token_embd.weight").type());
            assertEquals(2, gguf.metadata().getInt("general.file_type"));
        }
        int[] got = LlamaCppPeer.greedy(out, new int[] {1}, 32);
        assertEquals(32, got.length);
        assertEquals(afterBos(referenceTokens())[0], got[0], "the most likely first token survives 4-bit weights");
    }

    @Test
    void refusesATokenizerOfAnotherSizeThanTheVocabulary() throws IOException {
        try (LlamaModel m = stories260K()) {
            LlamaModel wrong = new LlamaModel(m.config(), m.weights(), SyntheticVocabulary.create(300), null, "mismatched");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new GgufModelWriter().write(wrong, dir.resolve("x.gguf"), DType.F32, "x"));
            assertEquals("mismatched: the tokenizer has 300 pieces but the model's vocabulary size is 512", e.getMessage());
        }
        assertTrue(Files.notExists(dir.resolve("x.gguf")));
    }

    @Test
    void refusesAModelWithoutTokenizer() throws IOException {
        try (LlamaModel m = stories260K()) {
            LlamaModel bare = new LlamaModel(m.config(), m.weights(), null, null, "bare");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new GgufModelWriter().write(bare, dir.resolve("x.gguf"), DType.F32, "x"));
            assertTrue(e.getMessage().startsWith("bare: no tokenizer"), e.getMessage());
        }
    }
}
