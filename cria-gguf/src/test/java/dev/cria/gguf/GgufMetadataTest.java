package dev.cria.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed getters over a file built field by field with {@link RawGguf}, independently of the writer. */
class GgufMetadataTest {

    @TempDir
    Path dir;

    private Path file;
    private GgufMetadata m;
    private long uint32MaxOffset;

    @BeforeEach
    void writeFile() throws IOException {
        RawGguf raw = RawGguf.header(3, 0, 12)
                .key("u8", 0).u8(200)
                .key("i16", 3).u16(-5 & 0xFFFF)
                .key("u64.small", 10).u64(42);
        uint32MaxOffset = raw.size();
        raw.key("u32.max", 4).u32(0xFFFF_FFFFL)
                .key("u64.huge", 10).u64(-1)
                .key("f64", 12).u64(Double.doubleToLongBits(0.125))
                .key("f32", 6).f32(2.5f)
                .key("flag", 7).u8(1)
                .key("name", 8).str("stories")
                .key("u8s", 9).u32(0).u64(3).u8(1).u8(2).u8(255)
                .key("u32s", 9).u32(4).u64(2).u32(7).u32(0x8000_0000L)
                .key("f64s", 9).u32(12).u64(1).u64(Double.doubleToLongBits(-0.5));
        file = raw.writeTo(dir.resolve("m.gguf"));
        m = GgufFile.readMetadata(file);
    }

    @Test
    void integerGettersAcceptEveryIntegerTypeThatFits() throws IOException {
        assertEquals(200, m.getInt("u8"));
        assertEquals(-5, m.getInt("i16"));
        assertEquals(42, m.getInt("u64.small"));
        assertEquals(4294967295L, m.getLong("u32.max"));
        assertEquals(GgufValueType.INT16, m.get("i16").type());
    }

    @Test
    void integerThatDoesNotFitIsAnErrorNamingKeyTypeAndOffset() {
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> m.getInt("u32.max"));
        assertEquals(file + ": byte " + uint32MaxOffset + ": metadata key 'u32.max' = 4294967295 (UINT32) does not fit in an int",
                e.getMessage());
        assertEquals(uint32MaxOffset, e.offset().orElseThrow());
        assertEquals(file, e.file().orElseThrow());
        GgufFormatException huge = assertThrows(GgufFormatException.class, () -> m.getLong("u64.huge"));
        assertTrue(huge.getMessage().contains("18446744073709551615 (UINT64) does not fit in a long"), huge.getMessage());
    }

    @Test
    void floatGettersAcceptBothFloatWidths() throws IOException {
        assertEquals(2.5f, m.getFloat("f32"));
        assertEquals(0.125f, m.getFloat("f64"));
        assertEquals(0.125, m.getDouble("f64"));
        assertArrayEquals(new float[] {-0.5f}, m.getFloatArray("f64s"));
    }

    @Test
    void wrongTypeIsAnErrorNamingBothTypes() {
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> m.getFloat("u8"));
        assertTrue(e.getMessage().endsWith("metadata key 'u8' is UINT8, expected FLOAT32 or FLOAT64"), e.getMessage());
        e = assertThrows(GgufFormatException.class, () -> m.getStringArray("u8s"));
        assertTrue(e.getMessage().endsWith("metadata key 'u8s' is ARRAY[UINT8], expected ARRAY[STRING]"), e.getMessage());
        e = assertThrows(GgufFormatException.class, () -> m.getInt("flag"));
        assertTrue(e.getMessage().endsWith("'flag' is BOOL, expected an integer"), e.getMessage());
        assertThrows(GgufFormatException.class, () -> m.findString("u8"), "find refuses a wrong type too");
    }

    @Test
    void intArraysWidenSmallTypesAndRefuseValuesBeyondInt() throws IOException {
        assertArrayEquals(new int[] {1, 2, 255}, m.getIntArray("u8s"));
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> m.getIntArray("u32s"));
        assertTrue(e.getMessage().contains("'u32s': element 1 = 2147483648 (UINT32) does not fit in an int"), e.getMessage());
        assertArrayEquals(new long[] {7, 2147483648L}, ((GgufValue.ScalarArray) m.get("u32s")).toLongArray());
    }

    @Test
    void missingKeyIsAnErrorAndFindIsEmpty() throws IOException {
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> m.getString("general.name"));
        assertEquals(file + ": metadata key 'general.name' is missing", e.getMessage());
        assertTrue(e.offset().isEmpty());
        assertTrue(m.findString("general.name").isEmpty());
        assertTrue(m.findInt("x").isEmpty());
        assertTrue(m.findFloatArray("x").isEmpty());
        assertEquals("stories", m.findString("name").orElseThrow());
        assertEquals(true, m.findBoolean("flag").orElseThrow());
    }

    @Test
    void iteratesInFileOrderWithIncreasingOffsets() {
        List<String> keys = new ArrayList<>();
        long previous = -1;
        for (GgufMetadata.Entry e : m) {
            keys.add(e.key());
            assertTrue(e.offset() > previous);
            previous = e.offset();
        }
        assertEquals(List.of("u8", "i16", "u64.small", "u32.max", "u64.huge", "f64", "f32", "flag", "name", "u8s", "u32s", "f64s"),
                keys);
        assertEquals(24, m.entries().getFirst().offset(), "the first key follows the 24-byte header");
    }

    @Test
    void summariesQuoteAndCutLongStrings() {
        String template = "{% for message in messages %}\n{{ message['content'] }}\n{% endfor %}".repeat(3);
        String summary = GgufValue.string(template).summary();
        assertTrue(summary.startsWith("\"{% for message in messages %}\\n{{ message['content'] }}\\n{% en"), summary);
        assertTrue(summary.endsWith("… (" + template.length() + " chars)"), summary);
        assertEquals("ARRAY[UINT64] 2: 18446744073709551615, 0", GgufValue.integers(GgufValueType.UINT64, -1, 0).summary());
        assertEquals("ARRAY[STRING] 0", GgufValue.strings().summary());
    }
}
