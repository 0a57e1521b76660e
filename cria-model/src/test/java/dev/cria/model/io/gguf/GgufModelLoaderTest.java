package dev.cria.model.io.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.gguf.GgmlType;
import dev.cria.gguf.GgufFile;
import dev.cria.gguf.GgufFormatException;
import dev.cria.gguf.GgufTensor;
import dev.cria.gguf.GgufWriter;
import dev.cria.model.LlamaConfig;
import dev.cria.model.LlamaModel;
import dev.cria.model.LlamaWeights;
import dev.cria.model.SequenceState;
import dev.cria.model.Transformer;
import dev.cria.tensor.Layouts;
import dev.cria.tensor.Matrices;
import dev.cria.tensor.Matrix;
import dev.cria.tensor.Parallel;
import dev.cria.tokenizer.TokenizerLoader;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufModelLoaderTest {
    @TempDir
    Path dir;

    private static Path stories() {
        return SharedData.file("models/stories260K/stories260K-f32.gguf");
    }

    /** A tensor to write: its type, dims and bytes. */
    private record Tensor(GgmlType type, long[] dims, byte[] bytes) {
    }

    /** Copies stories260K-f32.gguf with tensors replaced ({@code null}: dropped) and metadata edited. */
    private Path rewrite(String name, Map<String, Tensor> replaced, List<String> dropped, Consumer<GgufWriter> metadata) throws IOException {
        Path out = dir.resolve(name);
        try (GgufFile source = GgufFile.open(stories())) {
            GgufWriter w = new GgufWriter().putAll(source.metadata());
            metadata.accept(w);
            for (GgufTensor t : source.tensors()) {
                if (dropped.contains(t.name())) {
                    continue;
                }
                Tensor r = replaced.get(t.name());
                if (r != null) {
                    w.addTensor(t.name(), r.type(), r.dims(), r.bytes());
                } else {
                    w.addTensor(t.name(), t.type(), t.dimensions(), t.data());
                }
            }
            w.write(out);
        }
        return out;
    }

    private static float[] values(GgufFile f, String name) throws GgufFormatException {
        return f.tensor(name).toFloatArray();
    }

    // ---- GGML's block formats, written from their definitions (ggml-common.h) for the test

    /** Q8_0: per 32 values, d = max|x| / 127 as f16, q = round(x / d). */
    static byte[] quantizeQ8_0(float[] x) {
        ByteBuffer out = ByteBuffer.allocate(x.length / 32 * 34).order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < x.length / 32; b++) {
            float amax = 0;
            for (int i = 0; i < 32; i++) {
                amax = Math.max(amax, Math.abs(x[b * 32 + i]));
            }
            float d = amax / 127;
            float id = d != 0 ? 1 / d : 0;
            out.putShort(Float.floatToFloat16(d));
            for (int i = 0; i < 32; i++) {
                out.put((byte) Math.round(x[b * 32 + i] * id));
            }
        }
        return out.array();
    }

    static float[] dequantizeQ8_0(byte[] bytes, int n) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[n];
        for (int b = 0; b < n / 32; b++) {
            float d = Float.float16ToFloat(in.getShort(b * 34));
            for (int i = 0; i < 32; i++) {
                out[b * 32 + i] = in.get(b * 34 + 2 + i) * d;
            }
        }
        return out;
    }

    /** Q4_0: per 32 values, d = (signed value of largest magnitude) / -8 as f16; byte j holds value j (low nibble) and j+16 (high), q = x/d + 8. */
    static byte[] quantizeQ4_0(float[] x) {
        ByteBuffer out = ByteBuffer.allocate(x.length / 32 * 18).order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < x.length / 32; b++) {
            float amax = 0;
            float max = 0;
            for (int i = 0; i < 32; i++) {
                float v = x[b * 32 + i];
                if (Math.abs(v) > amax) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8;
            float id = d != 0 ? 1 / d : 0;
            out.putShort(Float.floatToFloat16(d));
            for (int j = 0; j < 16; j++) {
                int lo = Math.min(15, (int) (x[b * 32 + j] * id + 8.5f));
                int hi = Math.min(15, (int) (x[b * 32 + j + 16] * id + 8.5f));
                out.put((byte) (lo | (hi << 4)));
            }
        }
        return out.array();
    }

    static float[] dequantizeQ4_0(byte[] bytes, int n) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[n];
        for (int b = 0; b < n / 32; b++) {
            float d = Float.float16ToFloat(in.getShort(b * 18));
            for (int j = 0; j < 16; j++) {
                int q = in.get(b * 18 + 2 + j) & 0xFF;
                out[b * 32 + j] = ((q & 0x0F) - 8) * d;
                out[b * 32 + j + 16] = ((q >> 4) - 8) * d;
            }
        }
        return out;
    }

    static byte[] f16(float[] x, boolean brain) {
        ByteBuffer out = ByteBuffer.allocate(x.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) {
            out.putShort(brain ? Layouts.f32ToBf16(v) : Float.floatToFloat16(v));
        }
        return out.array();
    }

    static float[] fromF16(byte[] bytes, boolean brain) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.length / 2];
        for (int i = 0; i < out.length; i++) {
            short s = in.getShort(2 * i);
            out[i] = brain ? Float.intBitsToFloat((s & 0xFFFF) << 16) : Float.float16ToFloat(s);
        }
        return out;
    }

    @Test
    void loadsF16Bf16Q8_0AndQ4_0TensorsAsTheFloatModelOfTheirValues() throws IOException {
        // Each kind of tensor in another type; ffn_down (172 columns) cannot be blocked by 32 and stays a half type.
        Map<String, GgmlType> types = Map.of("token_embd.weight", GgmlType.Q8_0, "attn_q.weight", GgmlType.Q8_0,
                "attn_k.weight", GgmlType.Q4_0, "attn_v.weight", GgmlType.F16, "attn_output.weight", GgmlType.BF16,
                "ffn_gate.weight", GgmlType.Q4_0, "ffn_up.weight", GgmlType.Q8_0, "ffn_down.weight", GgmlType.BF16,
                "attn_norm.weight", GgmlType.F16, "ffn_norm.weight", GgmlType.BF16);
        Map<String, Tensor> replaced = new java.util.HashMap<>();
        Map<String, float[]> dequantized = new java.util.HashMap<>();
        try (GgufFile source = GgufFile.open(stories())) {
            for (GgufTensor t : source.tensors()) {
                String kind = t.name().replaceFirst("^blk\\.\\d+\\.", "");
                GgmlType type = types.get(kind);
                if (type == null) {
                    continue;
                }
                float[] x = values(source, t.name());
                byte[] bytes = switch (type) {
                    case Q8_0 -> quantizeQ8_0(x);
                    case Q4_0 -> quantizeQ4_0(x);
                    case F16 -> f16(x, false);
                    case BF16 -> f16(x, true);
                    default -> throw new AssertionError(type);
                };
                float[] back = switch (type) {
                    case Q8_0 -> dequantizeQ8_0(bytes, x.length);
                    case Q4_0 -> dequantizeQ4_0(bytes, x.length);
                    case F16 -> fromF16(bytes, false);
                    case BF16 -> fromF16(bytes, true);
                    default -> throw new AssertionError(type);
                };
                replaced.put(t.name(), new Tensor(type, t.dimensions(), bytes));
                dequantized.put(t.name(), back);
            }
        }
        Path mixed = rewrite("mixed.gguf", replaced, List.of(), w -> { });
        try (LlamaModel quantized = GgufModelLoader.load(mixed); LlamaModel f32 = GgufModelLoader.load(stories());
             Parallel parallel = new Parallel(2)) {
            assertEquals(dev.cria.tensor.DType.Q4_0, quantized.weights().layers().get(2).wk().type());
            LlamaModel expected = new LlamaModel(f32.config(), heapCopy(f32, dequantized), null, null, "dequantized");
            assertArrayEquals(dequantized.get("blk.1.attn_norm.weight"), quantized.weights().layers().get(1).attentionNorm());
            Transformer a = new Transformer(quantized, parallel);
            Transformer b = new Transformer(expected, parallel);
            SequenceState sa = a.newState(64);
            SequenceState sb = b.newState(64);
            int token = 1;
            for (int pos = 0; pos < 32; pos++) {
                float[] la = a.decode(sa, token);
                float[] lb = b.decode(sb, token);
                for (int j = 0; j < la.length; j++) {
                    assertEquals(lb[j], la[j], 1e-4 * Math.max(1, Math.abs(lb[j])), "position " + pos + " logit " + j);
                }
                token = argmax(lb);
            }
        }
    }

    /** The weights of {@code f32} with the tensors named in {@code replaced} swapped for those values, on the heap. */
    private static LlamaWeights heapCopy(LlamaModel f32, Map<String, float[]> replaced) {
        LlamaConfig c = f32.config();
        LlamaWeights w = f32.weights();
        List<LlamaWeights.Layer> layers = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            LlamaWeights.Layer l = w.layers().get(i);
            String p = "blk." + i + ".";
            layers.add(new LlamaWeights.Layer(
                    replaced.getOrDefault(p + "attn_norm.weight", l.attentionNorm()),
                    heap(replaced.get(p + "attn_q.weight"), l.wq()), heap(replaced.get(p + "attn_k.weight"), l.wk()),
                    heap(replaced.get(p + "attn_v.weight"), l.wv()), heap(replaced.get(p + "attn_output.weight"), l.wo()),
                    replaced.getOrDefault(p + "ffn_norm.weight", l.ffnNorm()),
                    heap(replaced.get(p + "ffn_gate.weight"), l.w1()), heap(replaced.get(p + "ffn_down.weight"), l.w2()),
                    heap(replaced.get(p + "ffn_up.weight"), l.w3())));
        }
        Matrix embedding = heap(replaced.get("token_embd.weight"), w.tokenEmbedding());
        return new LlamaWeights(embedding, layers, w.finalNorm(), embedding, null);
    }

    private static Matrix heap(float[] values, Matrix like) {
        return values == null ? like : Matrices.of(values, like.rows(), like.cols());
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Every matrix whose rows hold a multiple of 32 values in Q8_0 (ffn_down's 172 columns stay F32). */
    private Path quantizedStories(String name, GgmlType type) throws IOException {
        Map<String, Tensor> replaced = new java.util.HashMap<>();
        try (GgufFile source = GgufFile.open(stories())) {
            for (GgufTensor t : source.tensors()) {
                if (t.dimensions().length == 2 && t.dimensions()[0] % 32 == 0) {
                    float[] x = values(source, t.name());
                    replaced.put(t.name(), new Tensor(type, t.dimensions(), type == GgmlType.Q8_0 ? quantizeQ8_0(x) : quantizeQ4_0(x)));
                }
            }
        }
        return rewrite(name, replaced, List.of(), w -> w.putUInt32("general.file_type", type == GgmlType.Q8_0 ? 7 : 2));
    }

    private static int[] greedy(LlamaModel model, int n, Parallel parallel) {
        Transformer t = new Transformer(model, parallel);
        SequenceState s = t.newState();
        int[] out = new int[n];
        int token = 1;
        for (int i = 0; i < n; i++) {
            token = argmax(t.decode(s, token));
            out[i] = token;
        }
        return out;
    }

    @Test
    void aQ8_0Stories260KGreedilyWritesTheFirst50TokensOfTheF32Model() throws IOException {
        try (LlamaModel q8 = GgufModelLoader.load(quantizedStories("q8.gguf", GgmlType.Q8_0));
             LlamaModel f32 = GgufModelLoader.load(stories()); Parallel parallel = new Parallel(2)) {
            assertEquals(dev.cria.tensor.DType.Q8_0, q8.weights().tokenEmbedding().type());
            assertEquals(dev.cria.tensor.DType.F32, q8.weights().layers().get(0).w2().type());
            assertArrayEquals(greedy(f32, 50, parallel), greedy(q8, 50, parallel));
        }
    }

    @Test
    void unsupportedTensorTypeNamesTheTensorTheTypeAndTheOffset() throws IOException {
        // Q4_1 blocks: 32 values in 20 bytes.
        Path bad = rewrite("q4_1.gguf", Map.of("blk.2.attn_q.weight", new Tensor(GgmlType.Q4_1, new long[] {64, 64}, new byte[2 * 20 * 64])),
                List.of(), w -> { });
        long offset;
        try (GgufFile f = GgufFile.open(bad)) {
            offset = f.dataOffset() + f.tensor("blk.2.attn_q.weight").info().offset();
        }
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufModelLoader.load(bad));
        assertTrue(e.getMessage().contains("blk.2.attn_q.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("Q4_1"), e.getMessage());
        assertTrue(e.getMessage().contains("byte " + offset), e.getMessage());
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    }

    @Test
    void shapesThatDisagreeWithTheMetadataAreAClearError() throws IOException {
        Path bad = rewrite("ffn.gguf", Map.of(), List.of(), w -> w.putUInt32("llama.feed_forward_length", 160));
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufModelLoader.load(bad));
        assertTrue(e.getMessage().contains("blk.0.ffn_gate.weight") && e.getMessage().contains("[64, 172]")
                && e.getMessage().contains("[64, 160]"), e.getMessage());

        Path heads = rewrite("heads.gguf", Map.of(), List.of(), w -> w.putUInt32("llama.attention.head_count", 6));
        GgufFormatException h = assertThrows(GgufFormatException.class, () -> GgufModelLoader.load(heads));
        assertTrue(h.getMessage().contains("not a multiple of heads 6"), h.getMessage());

        Path vocab = rewrite("vocab.gguf", Map.of(), List.of(), w -> w.putUInt32("llama.vocab_size", 500));
        GgufFormatException v = assertThrows(GgufFormatException.class, () -> GgufModelLoader.load(vocab));
        assertTrue(v.getMessage().contains("token_embd.weight") && v.getMessage().contains("[64, 500]"), v.getMessage());
    }

    @Test
    void aMissingTensorIsNamed() throws IOException {
        Path bad = rewrite("missing.gguf", Map.of(), List.of("blk.3.ffn_up.weight"), w -> { });
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufModelLoader.load(bad));
        assertTrue(e.getMessage().contains("'blk.3.ffn_up.weight' is missing"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsAClearErrorNotACrash() throws IOException {
        byte[] whole = Files.readAllBytes(stories());
        for (int length : new int[] {3, 100, 14000, whole.length / 2, whole.length - 1}) {
            Path cut = dir.resolve("cut" + length + ".gguf");
            Files.write(cut, Arrays.copyOf(whole, length));
            GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufModelLoader.load(cut), "length " + length);
            assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        }
    }

    @Test
    void otherArchitecturesAreRefused() throws IOException {
        Path other = rewrite("gpt2.gguf", Map.of(), List.of(), w -> w.putString("general.architecture", "gpt2"));
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufModelLoader.load(other));
        assertTrue(e.getMessage().contains("'gpt2'"), e.getMessage());
    }

    @Test
    void ropeFrequencyTensorAndLinearScalingBecomeFrequencyDivisors() throws IOException {
        float[] factors = {1f, 2f, 4f, 8f};
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : factors) {
            b.putFloat(f);
        }
        Path scaled = dir.resolve("scaled.gguf");
        try (GgufFile source = GgufFile.open(stories())) {
            GgufWriter w = new GgufWriter().putAll(source.metadata());
            w.putString("llama.rope.scaling.type", "linear").putFloat32("llama.rope.scaling.factor", 2f);
            w.addTensor("rope_freqs.weight", GgmlType.F32, new long[] {4}, b.array());
            for (GgufTensor t : source.tensors()) {
                w.addTensor(t.name(), t.type(), t.dimensions(), t.data());
            }
            w.write(scaled);
        }
        try (LlamaModel m = GgufModelLoader.load(scaled)) {
            assertArrayEquals(new float[] {2f, 4f, 8f, 16f}, m.weights().ropeFrequencyFactors());
        }
        Path linear = rewrite("linear.gguf", Map.of(), List.of(), w -> w.putString("llama.rope.scaling.type", "linear")
                .putFloat32("llama.rope.scaling.factor", 4f));
        try (LlamaModel m = GgufModelLoader.load(linear)) {
            assertArrayEquals(new float[] {4f, 4f, 4f, 4f}, m.weights().ropeFrequencyFactors());
        }
        try (LlamaModel m = GgufModelLoader.load(stories())) {
            assertNull(m.weights().ropeFrequencyFactors());
        }
        Path yarn = rewrite("yarn.gguf", Map.of(), List.of(), w -> w.putString("llama.rope.scaling.type", "yarn"));
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufModelLoader.load(yarn));
        assertTrue(e.getMessage().contains("'yarn'"), e.getMessage());
    }

    @Test
    void partialRotaryEmbeddingsAreRefused() throws IOException {
        Path partial = rewrite("partial.gguf", Map.of(), List.of(), w -> w.putUInt32("llama.rope.dimension_count", 4));
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufModelLoader.load(partial));
        assertTrue(e.getMessage().contains("llama.rope.dimension_count is 4"), e.getMessage());
    }

    @Test
    void readsTheShapeTheTokenizerAndTheChatTemplateFromTheFile() throws IOException {
        String template = "{% for message in messages %}[INST] <<SYS>> {{ message['content'] }} [/INST]{% endfor %}";
        Path withTemplate = rewrite("template.gguf", Map.of(), List.of(), w -> w.putString("tokenizer.chat_template", template));
        try (LlamaModel m = GgufModelLoader.load(withTemplate)) {
            LlamaConfig c = m.config();
            assertEquals(new LlamaConfig(64, 172, 5, 8, 4, 512, 512, 1e-5f, 10000f, null, true), c);
            assertEquals(template, m.chatTemplate());
            var reference = TokenizerLoader.load(SharedData.file("models/stories260K/tok512.bin"));
            String text = "Once upon a time, Lily saw a big dog.";
            assertArrayEquals(reference.encode(text), m.tokenizer().encode(text));
            assertEquals(1, m.tokenizer().bosId());
            assertEquals(2, m.tokenizer().eosId());
        }
    }

    @Test
    void closingTheModelUnmapsTheFile() throws IOException {
        LlamaModel m = GgufModelLoader.load(stories());
        Matrix embedding = m.weights().tokenEmbedding();
        m.close();
        assertThrows(IllegalStateException.class, () -> embedding.dequantizeRow(0, new float[64], 0));
        m.close();
    }
}
