package dev.cria.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.testing.SharedData;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reads GGUF files written by llama.cpp and gguf-py, and checks them against the same data in other formats. */
class GgufRealFilesTest {

    private static final String VOCAB = "tokenizer/vectors/ggml-vocab-llama-spm.gguf";
    private static final String STORIES = "models/stories260K/stories260K-f32.gguf";
    private static final String STORIES_LLAMACPP = "models/stories260K/stories260K-llamacpp-f32.gguf";

    // stories260K.bin: 7 int32 header, then float32 arrays (see shared/data/README.md).
    private static final int DIM = 64;
    private static final int VOCAB_SIZE = 512;
    private static final int LAYERS = 5;
    private static final int HEADER_BYTES = 7 * 4;

    @Test
    void readsTheLlama2VocabularyOfTheVocabOnlyFile() throws IOException {
        try (GgufFile gguf = GgufFile.open(SharedData.file(VOCAB))) {
            assertEquals(3, gguf.version());
            assertEquals(0, gguf.tensors().size());
            assertEquals(32, gguf.alignment());
            GgufMetadata m = gguf.metadata();
            assertEquals(22, m.size());
            assertEquals("general.architecture", m.keys().getFirst());
            assertEquals("tokenizer.ggml.add_eos_token", m.keys().getLast());
            assertEquals("llama", m.getString("tokenizer.ggml.model"));

            String[] tokens = m.getStringArray("tokenizer.ggml.tokens");
            assertEquals(32000, tokens.length);
            assertEquals("<unk>", tokens[0]);
            assertEquals("<s>", tokens[1]);
            assertEquals("</s>", tokens[2]);
            assertEquals("<0x0A>", tokens[13]);
            assertEquals("▁", tokens[29871]);

            float[] scores = m.getFloatArray("tokenizer.ggml.scores");
            assertEquals(32000, scores.length);
            assertEquals(-1.0f, scores[260]);

            int[] types = m.getIntArray("tokenizer.ggml.token_type");
            int[] histogram = new int[7];
            for (int t : types) {
                histogram[t]++;
            }
            assertArrayEquals(new int[] {0, 31741, 1, 2, 0, 0, 256}, histogram, "NORMAL, UNKNOWN, CONTROL, BYTE counts");

            assertEquals(1, m.getInt("tokenizer.ggml.bos_token_id"));
            assertEquals(2, m.getLong("tokenizer.ggml.eos_token_id"));
            assertEquals(0, m.getInt("tokenizer.ggml.unknown_token_id"));
            assertTrue(m.getBoolean("tokenizer.ggml.add_bos_token"));
            assertFalse(m.getBoolean("tokenizer.ggml.add_eos_token"));
            assertEquals(1e-5f, m.getFloat("llama.attention.layer_norm_rms_epsilon"));
            assertEquals(4096, m.getInt("llama.context_length"));
            assertEquals(GgufValueType.UINT32, m.get("llama.context_length").type());
            assertTrue(m.findStringArray("tokenizer.ggml.merges").isEmpty(), "SentencePiece vocabularies have no merges");
        }
    }

    @Test
    void vocabularyMatchesLlama2cExportOfTheSameTokenizer() throws IOException {
        GgufMetadata m = GgufFile.readMetadata(SharedData.file(VOCAB));
        String[] tokens = m.getStringArray("tokenizer.ggml.tokens");
        float[] scores = m.getFloatArray("tokenizer.ggml.scores");
        List<Llama2cToken> reference = readLlama2cTokenizer(SharedData.file("tokenizer/llama2/tokenizer.bin"), 32000);
        for (int id = 0; id < tokens.length; id++) {
            assertEquals(reference.get(id).piece(), llama2cSpelling(id, tokens[id]), "token " + id);
            assertEquals(reference.get(id).score(), scores[id], "score of token " + id);
        }
    }

    @Test
    void tokenEmbeddingEqualsTheLlama2cCheckpointsTable() throws IOException {
        float[] checkpoint = readFloats(SharedData.file("models/stories260K/stories260K.bin"));
        try (GgufFile gguf = GgufFile.open(SharedData.file(STORIES))) {
            assertEquals(47, gguf.tensors().size());
            GgufTensor embedding = gguf.tensor("token_embd.weight");
            assertEquals(GgmlType.F32, embedding.type());
            assertArrayEquals(new long[] {DIM, VOCAB_SIZE}, embedding.dimensions());
            assertEquals(gguf.dataOffset(), embedding.data().address() - gguf.image().address(), "first tensor at data start");

            int tableFloats = VOCAB_SIZE * DIM;
            assertArrayEquals(slice(checkpoint, 0, tableFloats), embedding.toFloatArray());
            // The first layer's attention RMSNorm weights follow the table in the checkpoint.
            assertArrayEquals(slice(checkpoint, tableFloats, DIM), gguf.tensor("blk.0.attn_norm.weight").toFloatArray());
            // The same floats read straight from the mapped segment, row 3 column 5.
            assertEquals(checkpoint[3 * DIM + 5],
                    embedding.data().get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), (3L * DIM + 5) * 4));

            GgufMetadata m = gguf.metadata();
            assertEquals(DIM, m.getInt("llama.embedding_length"));
            assertEquals(LAYERS, m.getInt("llama.block_count"));
            assertEquals(10000f, m.getFloat("llama.rope.freq_base"));
        }
    }

    @Test
    void tensorsTileTheDataSectionWithAlignedOffsets() throws IOException {
        for (String name : List.of(STORIES, STORIES_LLAMACPP)) {
            try (GgufFile gguf = GgufFile.open(SharedData.file(name))) {
                long expectedOffset = 0;
                for (GgufTensor t : gguf.tensors()) {
                    assertEquals(expectedOffset, t.info().offset(), name + " " + t.name());
                    expectedOffset = GgufParser.alignUp(expectedOffset + t.byteSize(), gguf.alignment());
                }
                assertEquals(Files.size(SharedData.file(name)), gguf.dataOffset() + expectedOffset, name + " ends with the last tensor");
            }
        }
    }

    @Test
    void llamaCppConversionHoldsTheSharedClassifierAsAnExplicitOutputTensor() throws IOException {
        float[] checkpoint = readFloats(SharedData.file("models/stories260K/stories260K.bin"));
        float[] table = slice(checkpoint, 0, VOCAB_SIZE * DIM);
        try (GgufFile gguf = GgufFile.open(SharedData.file(STORIES_LLAMACPP))) {
            assertEquals(48, gguf.tensors().size());
            assertArrayEquals(table, gguf.tensor("token_embd.weight").toFloatArray());
            assertArrayEquals(table, gguf.tensor("output.weight").toFloatArray());
            // The final RMSNorm weights sit just before the legacy RoPE tables at the end of the checkpoint.
            int headSize = DIM / 8;
            int seqLen = 512;
            int finalNormStart = checkpoint.length - 2 * seqLen * headSize / 2 - DIM;
            assertArrayEquals(slice(checkpoint, finalNormStart, DIM), gguf.tensor("output_norm.weight").toFloatArray());

            GgufMetadata m = gguf.metadata();
            assertEquals("tokenizer.ggml.tokens", m.keys().getFirst());
            assertEquals(4294967295L, m.getLong("tokenizer.ggml.seperator_token_id"));
            GgufFormatException tooBig = assertThrows(GgufFormatException.class, () -> m.getInt("tokenizer.ggml.seperator_token_id"));
            assertTrue(tooBig.getMessage().contains("4294967295 (UINT32) does not fit in an int"), tooBig.getMessage());
        }
    }

    @Test
    void storiesVocabularyMatchesItsLlama2cTokenizer() throws IOException {
        GgufMetadata m = GgufFile.readMetadata(SharedData.file(STORIES));
        String[] tokens = m.getStringArray("tokenizer.ggml.tokens");
        float[] scores = m.getFloatArray("tokenizer.ggml.scores");
        List<Llama2cToken> reference = readLlama2cTokenizer(SharedData.file("models/stories260K/tok512.bin"), VOCAB_SIZE);
        assertEquals(VOCAB_SIZE, tokens.length);
        for (int id = 0; id < VOCAB_SIZE; id++) {
            assertEquals(reference.get(id).piece(), llama2cSpelling(id, tokens[id]), "token " + id);
            assertEquals(reference.get(id).score(), scores[id], "score of token " + id);
        }
    }

    @Test
    void describeSummarizesVersionCountsKeysAndTensors() throws IOException {
        try (GgufFile gguf = GgufFile.open(SharedData.file(STORIES))) {
            String text = gguf.describe();
            assertTrue(text.contains("GGUF v3, 1054400 bytes, 23 metadata keys, 47 tensors, alignment 32, data at byte 14272"), text);
            assertTrue(text.lines().anyMatch(l -> l.matches("\\s+general\\.architecture\\s+STRING\\s+\"llama\"")), text);
            assertTrue(text.lines().anyMatch(l -> l.matches(
                    "\\s+tokenizer\\.ggml\\.tokens\\s+ARRAY\\[STRING]\\s+512: \"<unk>\", \"<s>\", \"</s>\", \"<0x00>\", …")), text);
            assertTrue(text.lines().anyMatch(l -> l.matches("\\s+token_embd\\.weight\\s+F32\\s+\\[64, 512]\\s+131072 bytes at \\+0")),
                    text);
            assertEquals(1 + 1 + 1 + 23 + 1 + 47, text.lines().count());
        }
    }

    @Test
    void metadataOutlivesTheMappingButTensorsDoNot() throws IOException {
        GgufFile gguf = GgufFile.open(SharedData.file(STORIES));
        GgufTensor embedding = gguf.tensor("token_embd.weight");
        gguf.close();
        gguf.close();
        assertEquals(VOCAB_SIZE, gguf.metadata().getStringArray("tokenizer.ggml.tokens").length);
        assertThrows(IllegalStateException.class, embedding::toFloatArray);
    }

    @Test
    void missingTensorIsAnErrorNamingTheFile() throws IOException {
        Path file = SharedData.file(STORIES);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertTrue(gguf.findTensor("output.weight").isEmpty(), "tied embeddings: no output tensor");
            GgufFormatException e = assertThrows(GgufFormatException.class, () -> gguf.tensor("output.weight"));
            assertTrue(e.getMessage().startsWith(file + ": no tensor named 'output.weight'"), e.getMessage());
        }
    }

    /** llama2.c's tokenizer export writes '▁' as a space and BOS/EOS as "\n<s>\n" and "\n</s>\n". */
    private static String llama2cSpelling(int id, String piece) {
        return switch (id) {
            case 1 -> "\n<s>\n";
            case 2 -> "\n</s>\n";
            default -> piece.replace('▁', ' ');
        };
    }

    private record Llama2cToken(String piece, float score) {
    }

    /** llama2.c tokenizer: int32 max_token_length, then per token float32 score, int32 length, bytes. */
    private static List<Llama2cToken> readLlama2cTokenizer(Path path, int vocabSize) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        in.getInt();
        Llama2cToken[] tokens = new Llama2cToken[vocabSize];
        for (int i = 0; i < vocabSize; i++) {
            float score = in.getFloat();
            byte[] bytes = new byte[in.getInt()];
            in.get(bytes);
            tokens[i] = new Llama2cToken(new String(bytes, StandardCharsets.UTF_8), score);
        }
        assertFalse(in.hasRemaining(), "whole tokenizer file read");
        return List.of(tokens);
    }

    /** The float32 arrays of a llama2.c checkpoint, after its 7-int header. */
    private static float[] readFloats(Path checkpoint) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(checkpoint)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(DIM, in.getInt(0));
        assertEquals(VOCAB_SIZE, in.getInt(20));
        in.position(HEADER_BYTES);
        float[] out = new float[in.remaining() / 4];
        in.asFloatBuffer().get(out);
        return out;
    }

    private static float[] slice(float[] a, int from, int length) {
        float[] out = new float[length];
        System.arraycopy(a, from, out, 0, length);
        return out;
    }
}
