package dev.cria.model.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.tensor.DType;
import dev.cria.tensor.Matrix;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files assembled byte by byte from the format's description, good and broken. */
class SafetensorsFileTest {

    @TempDir
    Path dir;

    /** 8-byte little-endian header length, the header, the data. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static final String GOOD_HEADER = "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[24,28]}}   ";

    /** BF16 of 1.5 is 0x3FC0, of -2 is 0xC000. */
    private static final byte[] GOOD_DATA = concat(floats(1, 2, 3, 4, 5, 6), new byte[] {(byte) 0xC0, 0x3F, 0x00, (byte) 0xC0});

    @Test
    void readsAFileBuiltFromTheSpec() throws IOException {
        Path p = write("good.safetensors", file(GOOD_HEADER, GOOD_DATA));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertEquals(8 + GOOD_HEADER.length(), f.dataOffset());
            SafetensorsTensor w = f.tensor("w");
            assertEquals(SafetensorsDType.F32, w.dtype());
            assertArrayEquals(new long[] {2, 3}, w.shape());
            Matrix m = w.matrix();
            assertEquals(DType.F32, m.type());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, m.toFloatArray());
            assertArrayEquals(new float[] {1.5f, -2f}, f.tensor("b").toFloatArray());
            assertEquals(f.dataOffset() + 24, f.tensor("b").fileOffset());
        }
    }

    @Test
    void acceptsAnEmptyFileAndZeroSizedAndScalarTensors() throws IOException {
        Path empty = write("empty.safetensors", file("{}", new byte[0]));
        try (SafetensorsFile f = SafetensorsFile.open(empty)) {
            assertTrue(f.tensors().isEmpty());
        }
        Path odd = write("odd.safetensors", file("{\"z\":{\"dtype\":\"F16\",\"shape\":[0,4],\"data_offsets\":[0,0]},"
                + "\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", floats(7)));
        try (SafetensorsFile f = SafetensorsFile.open(odd)) {
            assertEquals(0, f.tensor("z").byteSize());
            assertArrayEquals(new float[] {7}, f.tensor("s").toFloatArray());
        }
    }

    private SafetensorsFormatException broken(String header, byte[] data) throws IOException {
        Path p = write("bad.safetensors", file(header, data));
        return assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(p).close());
    }

    private void assertMessage(SafetensorsFormatException e, String expected) {
        assertEquals(dir.resolve("bad.safetensors") + ": " + expected, e.getMessage());
    }

    @Test
    void truncatedDataNamesTheTensorThatRunsPastTheEnd() throws IOException {
        byte[] whole = file(GOOD_HEADER, GOOD_DATA);
        Path p = write("bad.safetensors", Arrays.copyOf(whole, whole.length - 3));
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(p));
        assertMessage(e, "byte " + (8 + GOOD_HEADER.length() + 24) + ": tensor 'b' (BF16 [2]): data_offsets [24, 28] run past the data"
                + " section (25 bytes): truncated file or header lies");
    }

    @Test
    void truncatedHeaderSaysTheHeaderRunsPastTheEnd() throws IOException {
        byte[] whole = file(GOOD_HEADER, GOOD_DATA);
        Path p = write("bad.safetensors", Arrays.copyOf(whole, 40));
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(p));
        assertMessage(e, "byte 0: header length " + GOOD_HEADER.length() + " runs past the end of the file (40 bytes):"
                + " truncated or not a safetensors file");
        Path tiny = write("bad.safetensors", new byte[] {1, 2, 3});
        e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(tiny));
        assertMessage(e, "byte 0: file has 3 bytes, too short for the 8-byte header length");
    }

    @Test
    void headerThatLiesAboutTheByteCountIsRefused() throws IOException {
        SafetensorsFormatException e = broken("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]},"
                + "\"pad\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[20,24]}}", floats(1, 2, 3, 4, 5, 6));
        assertTrue(e.getMessage().endsWith("tensor 'w' (F32 [2, 3]) needs 24 bytes, but data_offsets [0, 20] hold 20"), e.getMessage());
    }

    @Test
    void overlappingTensorsAreRefused() throws IOException {
        SafetensorsFormatException e = broken("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", floats(1, 2, 3, 4));
        assertTrue(e.getMessage().contains("tensor 'a' starts at data byte 8, inside tensor 'b'")
                || e.getMessage().contains("tensor 'b' starts at data byte 8, inside tensor 'a'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("tensors overlap"), e.getMessage());
    }

    @Test
    void holesAndTrailingBytesAreRefused() throws IOException {
        SafetensorsFormatException hole = broken("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", floats(1, 2));
        assertTrue(hole.getMessage().endsWith("data bytes [0, 4) belong to no tensor (before 'a'); the format forbids holes"),
                hole.getMessage());
        SafetensorsFormatException trailing = broken("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1, 2));
        assertTrue(trailing.getMessage().endsWith("data section has 8 bytes but the tensors cover 4; the format forbids trailing bytes"),
                trailing.getMessage());
    }

    @Test
    void unknownDtypeIsRefusedWhenOpening() throws IOException {
        SafetensorsFormatException e = broken("{\"q\":{\"dtype\":\"Q4\",\"shape\":[8],\"data_offsets\":[0,4]}}", floats(1));
        assertMessage(e, "byte 8: tensor 'q': unsupported dtype 'Q4' (Cria reads the byte-sized types; weights must be F32, F16 or BF16)");
    }

    @Test
    void knownButUnusableDtypeIsAClearErrorWhenUsedAsWeights() throws IOException {
        Path p = write("ints.safetensors", file("{\"ids\":{\"dtype\":\"I64\",\"shape\":[1,2],\"data_offsets\":[0,16]}}", new byte[16]));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> f.tensor("ids").matrix());
            assertEquals(p + ": byte " + f.dataOffset() + ": tensor 'ids' has dtype I64; weights must be F32, F16 or BF16", e.getMessage());
        }
    }

    @Test
    void malformedHeadersAreRefusedWithTheirOffset() throws IOException {
        assertMessage(broken("[1,2]", new byte[0]), "byte 8: header must be a JSON object starting with '{'");
        assertTrue(broken("{\"a\":{\"dtype\":\"F32\",", new byte[0]).getMessage().contains("header is not valid JSON"));
        SafetensorsFormatException dup = broken("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1));
        assertTrue(dup.getMessage().contains("Duplicate field 'a'"), dup.getMessage());
        assertMessage(broken("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", floats(1)),
                "byte 8: tensor 'a': 'shape'[0] is 1.5, expected a non-negative integer");
        assertMessage(broken("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", floats(1)),
                "byte 8: tensor 'a': 'data_offsets' must be an array of 2 integers");
        assertMessage(broken("{\"__metadata__\":{\"n\":3}}", new byte[0]), "byte 8: __metadata__['n'] must be a string, is NUMBER");
    }

    @Test
    void hugeHeaderLengthIsRefusedBeforeReading() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-5L).putLong(0);
        Path p = write("bad.safetensors", b.array());
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(p));
        assertMessage(e, "byte 0: header length 18446744073709551611 exceeds the format's limit of 100000000 bytes");
    }

    @Test
    void readsTensorsBeyondTwoGibibytes() throws IOException {
        long big = (5L << 29) + 8;  // 2.5 GiB of U8, then one F32
        String header = "{\"big\":{\"dtype\":\"U8\",\"shape\":[" + big + "],\"data_offsets\":[0," + big + "]},"
                + "\"tail\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[" + big + "," + (big + 4) + "]}}";
        Path p = dir.resolve("sparse.safetensors");
        byte[] head = file(header, new byte[0]);
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.write(head);
            raf.setLength(head.length + big + 4);
            raf.seek(head.length + big);
            raf.write(floats(42f));
        }
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(big, f.tensor("big").byteSize());
            assertArrayEquals(new float[] {42f}, f.tensor("tail").toFloatArray());
            assertEquals(0, f.tensor("big").data().get(ValueLayout.JAVA_BYTE, big - 1));
        }
    }
}
