package dev.cria.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.testing.SharedData;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufRoundTripTest {

    @TempDir
    Path dir;

    /** One value of every type, with the edges of each range. */
    static Map<String, GgufValue> everyKindOfValue() {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("general.architecture", GgufValue.string("llama"));
        m.put("t.uint8", GgufValue.uint8(255));
        m.put("t.int8", GgufValue.int8(-128));
        m.put("t.uint16", GgufValue.uint16(65535));
        m.put("t.int16", GgufValue.int16(-32768));
        m.put("t.uint32", GgufValue.uint32(4294967295L));
        m.put("t.int32", GgufValue.int32(Integer.MIN_VALUE));
        m.put("t.uint64", GgufValue.uint64(-1));
        m.put("t.int64", GgufValue.int64(Long.MIN_VALUE));
        m.put("t.float32", GgufValue.float32(-0.0f));
        m.put("t.float32.nan", GgufValue.float32(Float.NaN));
        m.put("t.float64", GgufValue.float64(Math.PI));
        m.put("t.bool", GgufValue.bool(true));
        m.put("t.string.empty", GgufValue.string(""));
        m.put("t.string.unicode", GgufValue.string("▁héllo 世界 🦙 \uFFFD\n\0"));
        m.put("t.ключ", GgufValue.string("a key that is not ASCII"));
        m.put("t.strings", GgufValue.strings("<unk>", "", "▁▁", "🦙"));
        m.put("t.strings.empty", GgufValue.strings());
        m.put("t.float32s", GgufValue.float32s(0f, -1f, Float.MAX_VALUE, Float.MIN_VALUE));
        m.put("t.float64s", GgufValue.float64s(1e300, -0.0));
        m.put("t.int32s", GgufValue.int32s(1, -2, Integer.MAX_VALUE));
        m.put("t.uint8s", GgufValue.integers(GgufValueType.UINT8, 0, 255));
        m.put("t.int16s.empty", GgufValue.integers(GgufValueType.INT16));
        m.put("t.uint64s", GgufValue.integers(GgufValueType.UINT64, -1, 0));
        m.put("t.bools", GgufValue.bools(true, false, true));
        m.put("t.nested", GgufValue.arrays(
                GgufValue.strings("a", "b"),
                GgufValue.int32s(7),
                GgufValue.arrays(GgufValue.float32s(1.5f), GgufValue.arrays()),
                GgufValue.bools()));
        return m;
    }

    @Test
    void everyValueTypeSurvivesWriteAndRead() throws IOException {
        Map<String, GgufValue> values = everyKindOfValue();
        GgufWriter writer = new GgufWriter();
        values.forEach(writer::put);
        Path file = dir.resolve("values.gguf");
        writer.write(file);

        GgufMetadata read = GgufFile.readMetadata(file);
        assertEquals(List.copyOf(values.keySet()), read.keys(), "file order is insertion order");
        for (GgufMetadata.Entry e : read) {
            assertEquals(values.get(e.key()), e.value(), e.key());
            assertEquals(values.get(e.key()).type(), e.value().type(), e.key());
        }
        GgufValue.ArrayOfArrays nested = (GgufValue.ArrayOfArrays) read.get("t.nested");
        assertEquals(GgufValueType.ARRAY, nested.elementType());
        assertEquals(GgufValueType.STRING, nested.get(0).elementType());
        assertEquals(GgufValueType.INT32, nested.get(1).elementType());
        assertEquals(GgufValueType.BOOL, nested.get(3).elementType());
        assertEquals(0, nested.get(3).size());
    }

    @Test
    void tensorBytesSurviveWriteAndReadAtAlignedOffsets() throws IOException {
        float[] weights = new float[64 * 3];
        Random random = new Random(7);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextGaussian();
        }
        byte[] q8 = new byte[GgmlType.Q8_0.blockBytes() * 4];
        random.nextBytes(q8);
        byte[] odd = {1, 2, 3};
        Path file = dir.resolve("tensors.gguf");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment f16 = arena.allocate(2 * 8);
            for (int i = 0; i < 8; i++) {
                f16.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2L * i, Float.floatToFloat16(i - 3.5f));
            }
            new GgufWriter()
                    .putString("general.architecture", "llama")
                    .addTensor("w", new long[] {64, 3}, weights)
                    .addTensor("q", GgmlType.Q8_0, new long[] {64, 2}, q8)
                    .addTensor("odd", GgmlType.I8, new long[] {3}, odd)
                    .addTensor("half", GgmlType.F16, new long[] {8}, f16)
                    .addTensor("scalar", GgmlType.F32, new long[] {}, MemorySegment.ofArray(new byte[4]))
                    .write(file);
        }
        try (GgufFile gguf = GgufFile.open(file)) {
            assertEquals(3, gguf.version());
            assertEquals(List.of("w", "q", "odd", "half", "scalar"), gguf.tensors().stream().map(GgufTensor::name).toList());
            assertArrayEquals(weights, gguf.tensor("w").toFloatArray());
            assertArrayEquals(new long[] {64, 3}, gguf.tensor("w").dimensions());
            assertArrayEquals(q8, gguf.tensor("q").data().toArray(ValueLayout.JAVA_BYTE));
            assertArrayEquals(odd, gguf.tensor("odd").data().toArray(ValueLayout.JAVA_BYTE));
            assertArrayEquals(new float[] {-3.5f, -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 3.5f}, gguf.tensor("half").toFloatArray());
            assertEquals(1, gguf.tensor("scalar").elementCount());
            long end = 0;
            for (GgufTensor t : gguf.tensors()) {
                assertEquals(0, t.info().offset() % 32, t.name());
                assertEquals(0, (gguf.dataOffset() + t.info().offset()) % 32, t.name());
                end = gguf.dataOffset() + t.info().offset() + t.byteSize();
            }
            assertEquals(GgufParser.alignUp(end, 32), Files.size(file), "the last tensor is padded to the alignment");
        }
    }

    @Test
    void generalAlignmentSetsTheTensorAlignment() throws IOException {
        Path file = dir.resolve("aligned.gguf");
        new GgufWriter()
                .putUInt32("general.alignment", 256)
                .addTensor("a", new long[] {3}, new float[] {1, 2, 3})
                .addTensor("b", new long[] {1}, new float[] {4})
                .write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertEquals(256, gguf.alignment());
            assertEquals(0, gguf.dataOffset() % 256);
            assertEquals(256, gguf.tensor("b").info().offset());
            assertArrayEquals(new float[] {4}, gguf.tensor("b").toFloatArray());
        }
        GgufWriter bad = new GgufWriter().putUInt32("general.alignment", 48);
        assertThrows(IllegalStateException.class, () -> bad.write(dir.resolve("bad.gguf")));
    }

    @Test
    void rewritingLlamaCppsVocabFileReproducesItByteForByte() throws IOException {
        Path original = SharedData.file("tokenizer/vectors/ggml-vocab-llama-spm.gguf");
        Path copy = dir.resolve("copy.gguf");
        new GgufWriter().putAll(GgufFile.readMetadata(original)).write(copy);
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy));
    }

    @Test
    void rewritingModelFilesReproducesThemByteForByte() throws IOException {
        for (String name : List.of("models/stories260K/stories260K-f32.gguf", "models/stories260K/stories260K-llamacpp-f32.gguf")) {
            Path original = SharedData.file(name);
            Path copy = dir.resolve("copy.gguf");
            try (GgufFile gguf = GgufFile.open(original)) {
                GgufWriter writer = new GgufWriter().putAll(gguf.metadata());
                for (GgufTensor t : gguf.tensors()) {
                    writer.addTensor(t.name(), t.type(), t.dimensions(), t.data());
                }
                writer.write(copy);
            }
            assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy), name);
        }
    }

    @Test
    void writeReplacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.gguf");
        Files.writeString(file, "old contents");
        new GgufWriter().putString("general.name", "new").write(file);
        assertEquals("new", GgufFile.readMetadata(file).getString("general.name"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void failedWriteLeavesTheTargetUntouchedAndCleansUp() throws IOException {
        Path file = dir.resolve("model.gguf");
        Files.writeString(file, "old contents");
        Arena arena = Arena.ofConfined();
        MemorySegment data = arena.allocate(16);
        GgufWriter writer = new GgufWriter().addTensor("t", new long[] {4}, new float[4])
                .addTensor("gone", GgmlType.F32, new long[] {4}, data);
        arena.close();
        assertThrows(IllegalStateException.class, () -> writer.write(file));
        assertEquals("old contents", Files.readString(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void writerRefusesWhatItCannotWriteFaithfully() {
        GgufWriter writer = new GgufWriter().addTensor("t", new long[] {2}, new float[2]);
        assertThrows(IllegalArgumentException.class, () -> writer.addTensor("t", new long[] {2}, new float[2]), "duplicate name");
        assertThrows(IllegalArgumentException.class, () -> writer.addTensor("u", new long[] {3}, new float[2]), "wrong size");
        assertThrows(IllegalArgumentException.class, () -> writer.addTensor("q", GgmlType.Q4_0, new long[] {16}, new byte[9]),
                "row not a whole block");
        assertThrows(IllegalArgumentException.class, () -> writer.putString("bad\uD800key", "x"), "unpaired surrogate");
        writer.addTensor("n".repeat(63), new long[] {1}, new float[1]);
        assertThrows(IllegalArgumentException.class, () -> writer.addTensor("é".repeat(32), new long[] {1}, new float[1]),
                "64 bytes of UTF-8 is over llama.cpp's name limit");
        assertThrows(IllegalArgumentException.class, () -> GgufValue.uint8(256));
        assertThrows(IllegalArgumentException.class, () -> GgufValue.uint32(-1));
        assertThrows(IllegalArgumentException.class, () -> GgufValue.integers(GgufValueType.INT8, 128));
        assertThrows(IllegalArgumentException.class, () -> GgufValue.integers(GgufValueType.FLOAT32, 1));
    }

    @Test
    void unpairedSurrogateInAStringValueFailsTheWrite() {
        GgufWriter writer = new GgufWriter().putStrings("tokens", "ok", "half \uDC00 a pair");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.write(dir.resolve("x.gguf")));
        assertTrue(e.getMessage().contains("array 'tokens'"), e.getMessage());
    }

    @Test
    void largeVocabularyWritesAndReadsBack() throws IOException {
        int n = 128_256;
        List<String> tokens = new ArrayList<>(n);
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            tokens.add(i % 3 == 0 ? "Ġtoken" + i : "▁слово" + i);
            scores[i] = -i;
        }
        Path file = dir.resolve("vocab.gguf");
        new GgufWriter().put("tokenizer.ggml.tokens", GgufValue.strings(tokens)).putFloat32s("tokenizer.ggml.scores", scores).write(file);
        GgufMetadata m = GgufFile.readMetadata(file);
        assertEquals(tokens, List.of(m.getStringArray("tokenizer.ggml.tokens")));
        assertArrayEquals(scores, m.getFloatArray("tokenizer.ggml.scores"));
    }

    @Test
    void writtenHeaderIsVersion3WithCountsAndKeysInOrder() throws IOException {
        Path file = dir.resolve("h.gguf");
        new GgufWriter().putUInt32("b.second", 7).addTensor("t", new long[] {1}, new float[] {1}).write(file);
        byte[] expectedHead = RawGguf.header(3, 1, 1).key("b.second", GgufValueType.UINT32.id()).u32(7)
                .tensorInfo("t", GgmlType.F32.id(), 0, 1).pad(32).f32(1).pad(32).toByteArray();
        assertArrayEquals(expectedHead, Files.readAllBytes(file));
    }
}
