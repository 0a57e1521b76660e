package dev.cria.data.lid;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FastTextFormatTest {

    private static byte[] lid176() throws IOException {
        return Files.readAllBytes(LinguaTexts.model());
    }

    @Test
    void rejectsAFileWithoutTheMagicNamingFileAndOffset() {
        byte[] bytes = "this is not a fastText model at all".getBytes();
        FastTextFormatException e = assertThrows(FastTextFormatException.class,
                () -> FastTextClassifier.read("words.txt", ByteBuffer.wrap(bytes)));
        assertTrue(e.getMessage().startsWith("words.txt: at offset 0: not a fastText model"), e.getMessage());
    }

    @Test
    void rejectsANewerFormatVersion() throws IOException {
        byte[] bytes = lid176();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 13);
        FastTextFormatException e = assertThrows(FastTextFormatException.class,
                () -> FastTextClassifier.read("lid.176.ftz", ByteBuffer.wrap(bytes)));
        assertTrue(e.getMessage().contains("at offset 4: fastText file format version 13"), e.getMessage());
    }

    @Test
    void reportsTruncationInEveryPartOfTheFile() throws IOException {
        byte[] bytes = lid176();
        // In the args, the dictionary, the input codes, the centroids, the norm codes, the output matrix.
        for (int length : new int[] {6, 40, 100, 120_000, 500_000, 860_000, 925_000, bytes.length - 1}) {
            byte[] cut = Arrays.copyOf(bytes, length);
            FastTextFormatException e = assertThrows(FastTextFormatException.class,
                    () -> FastTextClassifier.read("cut.ftz", ByteBuffer.wrap(cut)), "cut at " + length);
            assertTrue(e.getMessage().startsWith("cut.ftz: at offset ") && e.getMessage().contains("truncated"),
                    length + ": " + e.getMessage());
        }
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        byte[] bytes = Arrays.copyOf(lid176(), lid176().length + 3);
        FastTextFormatException e = assertThrows(FastTextFormatException.class,
                () -> FastTextClassifier.read("long.ftz", ByteBuffer.wrap(bytes)));
        assertTrue(e.getMessage().contains("3 unexpected bytes"), e.getMessage());
    }

    @Test
    void rejectsAnUnknownLoss() throws IOException {
        byte[] bytes = lid176();
        // loss is the 7th int32 of the args, which start at offset 8.
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(8 + 6 * 4, 9);
        FastTextFormatException e = assertThrows(FastTextFormatException.class,
                () -> FastTextClassifier.read("lid.176.ftz", ByteBuffer.wrap(bytes)));
        assertTrue(e.getMessage().contains("at offset 32: loss"), e.getMessage());
    }
}
