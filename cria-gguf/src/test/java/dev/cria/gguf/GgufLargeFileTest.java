package dev.cria.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offsets past 2^31 and 2^32: a sparse file whose second tensor starts 3 GiB into the data section. */
class GgufLargeFileTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void tensorsBeyondFourGibibytesAreSlicedAtLongOffsets() throws IOException {
        long bigBytes = 5 * GIB;
        RawGguf header = RawGguf.header(3, 2, 1)
                .key("general.name", 8).str("sparse")
                .tensorInfo("big", GgmlType.I8.id(), 0, bigBytes)
                .tensorInfo("tail", GgmlType.F32.id(), bigBytes, 4)
                .pad(32);
        long dataOffset = header.size();
        Path file = header.writeTo(dir.resolve("large.gguf"));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            // Only these bytes are ever written; the rest of the file is a hole that reads as zeros.
            channel.write(ByteBuffer.wrap(new byte[] {0x5A}), dataOffset + 3 * GIB + 7);
            ByteBuffer tail = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            tail.putFloat(1.5f).putFloat(-2f).putFloat(1e-3f).putFloat(7f).flip();
            channel.write(tail, dataOffset + bigBytes);
        }

        try (GgufFile gguf = GgufFile.open(file)) {
            assertEquals(dataOffset + bigBytes + 16, gguf.fileSize());
            GgufTensor big = gguf.tensor("big");
            assertEquals(bigBytes, big.byteSize());
            assertEquals(0x5A, big.data().get(ValueLayout.JAVA_BYTE, 3 * GIB + 7));
            assertEquals(0, big.data().get(ValueLayout.JAVA_BYTE, 3 * GIB + 6));
            GgufTensor tail = gguf.tensor("tail");
            assertEquals(bigBytes, tail.info().offset());
            assertTrue(tail.data().address() - gguf.image().address() > 4 * GIB);
            assertArrayEquals(new float[] {1.5f, -2f, 1e-3f, 7f}, tail.toFloatArray());
        }
    }
}
