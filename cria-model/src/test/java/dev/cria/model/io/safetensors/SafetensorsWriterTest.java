package dev.cria.model.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.model.convert.WeightEncoder;
import dev.cria.tensor.DType;
import dev.cria.tensor.Layouts;
import dev.cria.tensor.Matrices;
import dev.cria.tensor.Matrix;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {

    @TempDir
    Path dir;

    @Test
    void laysOutTheFileAsTheReferenceImplementation() throws IOException {
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
        w.add("b.norm", new float[] {1, 2, 3}, SafetensorsDType.BF16, 3);
        w.add("a.weight", new float[] {1, 2, 3, 4}, 2, 2);
        w.add("c.half", new float[] {0.5f}, SafetensorsDType.F16, 1);
        Path p = dir.resolve("t.safetensors");
        w.write(p);
        byte[] bytes = Files.readAllBytes(p);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8, "the data section starts 8-aligned");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"}"), header);
        String padding = header.substring(header.lastIndexOf('}') + 1);
        assertTrue(padding.chars().allMatch(c -> c == ' '), "the header is padded with spaces");
        JsonNode json = new ObjectMapper().readTree(header);
        // Largest element first, then by name: F32 a.weight, then the 2-byte b.norm and c.half.
        assertEquals("[0,16]", json.get("a.weight").get("data_offsets").toString());
        assertEquals("[16,22]", json.get("b.norm").get("data_offsets").toString());
        assertEquals("[22,24]", json.get("c.half").get("data_offsets").toString());
        assertEquals(8 + headerLength + 24, bytes.length);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertArrayEquals(new float[] {1, 2, 3, 4}, f.tensor("a.weight").toFloatArray());
            assertArrayEquals(new float[] {1, 2, 3}, f.tensor("b.norm").toFloatArray());
            assertArrayEquals(new float[] {0.5f}, f.tensor("c.half").toFloatArray());
        }
    }

    @Test
    void writesQuantizedMatricesDequantizedAndRounded() throws IOException {
        float[] values = new float[64 * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i) * 3;
        }
        Matrix q8 = Matrices.of(DType.Q8_0, new WeightEncoder().encode(values, 64, DType.Q8_0), 3, 64);
        SafetensorsWriter w = new SafetensorsWriter();
        w.add("f32", q8, SafetensorsDType.F32);
        w.add("bf16", q8, SafetensorsDType.BF16);
        Path p = dir.resolve("q.safetensors");
        w.write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            float[] exact = q8.toFloatArray();
            assertArrayEquals(exact, f.tensor("f32").toFloatArray());
            float[] rounded = f.tensor("bf16").toFloatArray();
            for (int i = 0; i < exact.length; i++) {
                assertEquals(Layouts.bf16ToF32(Layouts.f32ToBf16(exact[i])), rounded[i]);
            }
        }
    }

    @Test
    void refusesReservedDuplicateAndMissizedTensors() {
        SafetensorsWriter w = new SafetensorsWriter().add("a", new float[] {1}, 1);
        assertEquals("tensor 'a' was already added",
                assertThrows(IllegalArgumentException.class, () -> w.add("a", new float[] {1}, 1)).getMessage());
        assertEquals("'__metadata__' is reserved for metadata",
                assertThrows(IllegalArgumentException.class, () -> w.add("__metadata__", new float[] {1}, 1)).getMessage());
        assertEquals("tensor 'b' (F32 [3]) needs 12 bytes, got 8",
                assertThrows(IllegalArgumentException.class, () -> w.add("b", new float[] {1, 2}, 3)).getMessage());
    }

    @Test
    void failedWriteLeavesTheTargetAsItWas() throws IOException {
        Path p = dir.resolve("keep.safetensors");
        Files.writeString(p, "old");
        Matrix broken = new Matrix() {
            public int rows() { return 1; }
            public int cols() { return 2; }
            public DType type() { return DType.Q8_0; }
            public MemorySegment data() { throw new UnsupportedOperationException(); }
            public void matvec(float[] x, float[] y, int from, int to) { }
            public void matmul(float[] x, int n, float[] y, int from, int to) { }
            public void dequantizeRow(int r, float[] out, int offset) { throw new IllegalStateException("disk gone"); }
        };
        SafetensorsWriter w = new SafetensorsWriter().add("x", broken, SafetensorsDType.F32);
        assertThrows(IllegalStateException.class, () -> w.write(p));
        assertEquals("old", Files.readString(p));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void shardsPastTheLimitWithAnIndexThatReadsBack() throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "t" + i;
            names.add(name);
            w.add(name, new float[] {i, i + 0.5f, i + 0.25f, -i}, 4);
        }
        Path ckpt = dir.resolve("ckpt");
        List<Path> files = SafetensorsCheckpointWriter.write(ckpt, w, Map.of("format", "pt"), 40);
        assertEquals(List.of("model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors",
                "model.safetensors.index.json"), files.stream().map(f -> f.getFileName().toString()).toList());
        JsonNode index = new ObjectMapper().readTree(ckpt.resolve("model.safetensors.index.json").toFile());
        assertEquals(80, index.get("metadata").get("total_size").asLong());
        assertEquals("model-00003-of-00003.safetensors", index.get("weight_map").get("t4").asText());
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(ckpt)) {
            assertEquals(3, c.shards().size());
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(new float[] {i, i + 0.5f, i + 0.25f, -i}, c.tensor("t" + i).toFloatArray());
            }
        }
        // Written again small enough for one file: the index goes, so the folder holds one checkpoint.
        SafetensorsCheckpointWriter.write(ckpt, w, Map.of(), 1 << 20);
        assertTrue(Files.notExists(ckpt.resolve("model.safetensors.index.json")));
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(ckpt)) {
            assertEquals(names, c.names().stream().sorted().toList());
        }
    }
}
