package dev.cria.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class F32MatrixTest {

    static float[] gaussian(Random rnd, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    @ParameterizedTest(name = "{0}x{1}, n = {2}")
    @CsvSource({
        "1, 1, 1", "1, 7, 1", "1, 8, 3", "3, 5, 2", "4, 8, 4", "5, 9, 5", "7, 17, 7", "4, 31, 8", "9, 33, 9",
        "13, 40, 13", "64, 64, 16", "33, 100, 17", "6, 257, 6", "172, 288, 3", "288, 172, 11", "1031, 777, 13"
    })
    void matvecAndMatmulMatchTheDoublePrecisionProductWithinTheFp32Bound(int rows, int cols, int n) {
        Random rnd = new Random(31L * rows + cols);
        float[] w = gaussian(rnd, rows * cols);
        float[] x = gaussian(rnd, n * cols);
        Matrix m = Matrices.of(w, rows, cols);

        float[] y = new float[rows];
        m.matvec(x, y, 0, rows);
        Reference.assertMatmul(w, rows, cols, x, 1, y, 0, rows, "matvec");

        float[] yn = new float[n * rows];
        m.matmul(x, n, yn, 0, rows);
        Reference.assertMatmul(w, rows, cols, x, n, yn, 0, rows, "matmul");
    }

    @Test
    void largeMatmulMatchesTheReference() {
        int rows = 768;
        int cols = 2048;
        int n = 70;
        Random rnd = new Random(7);
        float[] w = gaussian(rnd, rows * cols);
        float[] x = gaussian(rnd, n * cols);
        float[] y = new float[n * rows];
        Matrices.of(w, rows, cols).matmul(x, n, y, 0, rows);
        Reference.assertMatmul(w, rows, cols, x, n, y, 0, rows, "matmul 768x2048");
    }

    @Test
    void matmulSpanningSeveralTokenBlocksMatchesTheReference() {
        // 512 KiB of X per token block: with 4096 columns a block is 32 tokens, so 75 tokens take three blocks.
        int rows = 9;
        int cols = 4096;
        int n = 75;
        Random rnd = new Random(8);
        float[] w = gaussian(rnd, rows * cols);
        float[] x = gaussian(rnd, n * cols);
        float[] y = new float[n * rows];
        Matrices.of(w, rows, cols).matmul(x, n, y, 0, rows);
        Reference.assertMatmul(w, rows, cols, x, n, y, 0, rows, "matmul 9x4096, 75 tokens");
    }

    @Test
    void rowRangesWriteOnlyTheirRows() {
        int rows = 23;
        int cols = 19;
        int n = 6;
        Random rnd = new Random(3);
        float[] w = gaussian(rnd, rows * cols);
        float[] x = gaussian(rnd, n * cols);
        Matrix m = Matrices.of(w, rows, cols);
        float[] y = new float[n * rows];
        Arrays.fill(y, Float.NaN);
        m.matmul(x, n, y, 5, 14);
        Reference.assertMatmul(w, rows, cols, x, n, y, 5, 14, "matmul rows [5, 14)");
        for (int t = 0; t < n; t++) {
            for (int r = 0; r < rows; r++) {
                if (r < 5 || r >= 14) {
                    assertTrue(Float.isNaN(y[t * rows + r]), "row " + r + " of token " + t + " was written");
                }
            }
        }
        float[] yv = new float[rows];
        Arrays.fill(yv, Float.NaN);
        m.matvec(x, yv, 2, 3);
        Reference.assertMatmul(w, rows, cols, x, 1, yv, 2, 3, "matvec row 2");
        assertTrue(Float.isNaN(yv[1]) && Float.isNaN(yv[3]));
    }

    @Test
    void memoryMappedWeightsGiveTheSameProducts(@TempDir Path dir) throws IOException {
        int rows = 37;
        int cols = 45;
        Random rnd = new Random(5);
        float[] w = gaussian(rnd, rows * cols);
        float[] x = gaussian(rnd, 3 * cols);
        Path file = dir.resolve("w.f32");
        MemorySegment bytes = MemorySegment.ofArray(new byte[4 * rows * cols]);
        MemorySegment.copy(w, 0, bytes, Layouts.F32, 0, w.length);
        Files.write(file, bytes.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            Matrix m = Matrices.of(DType.F32, mapped, rows, cols);
            assertTrue(m.data().isMapped(), "the matrix holds the mapping itself, not a copy");
            assertEquals(mapped.address(), m.data().address());
            float[] y = new float[3 * rows];
            m.matmul(x, 3, y, 0, rows);
            Reference.assertMatmul(w, rows, cols, x, 3, y, 0, rows, "mapped matmul");
            float[] yv = new float[rows];
            m.matvec(x, yv, 0, rows);
            Reference.assertMatmul(w, rows, cols, x, 1, yv, 0, rows, "mapped matvec");
        }
    }

    @Test
    void dequantizedRowsAreTheStoredFloats() {
        Random rnd = new Random(4);
        float[] w = gaussian(rnd, 5 * 11);
        assertTrue(Arrays.equals(w, Matrices.of(w, 5, 11).toFloatArray()));
    }

    @Test
    void wrongLengthsAndRangesAreClearErrors() {
        Matrix m = Matrices.of(new float[12], 3, 4);
        IllegalArgumentException shortX = assertThrows(IllegalArgumentException.class, () -> m.matvec(new float[3], new float[3], 0, 3));
        assertTrue(shortX.getMessage().contains("x of 4 values, got 3"), shortX.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.matvec(new float[4], new float[2], 0, 3));
        assertThrows(IllegalArgumentException.class, () -> m.matvec(new float[4], new float[3], 2, 4));
        IllegalArgumentException shortY = assertThrows(IllegalArgumentException.class, () -> m.matmul(new float[8], 2, new float[5], 0, 3));
        assertTrue(shortY.getMessage().contains("Y of 6 values, got 5"), shortY.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.matmul(new float[7], 2, new float[6], 0, 3));
        assertThrows(IllegalArgumentException.class, () -> m.dequantizeRow(3, new float[4], 0));
        assertThrows(IllegalArgumentException.class, () -> Matrices.of(new float[11], 3, 4));
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> Matrices.of(DType.F32, MemorySegment.ofArray(new byte[47]), 3, 4));
        assertTrue(size.getMessage().contains("needs 48 bytes, got 47"), size.getMessage());
    }
}
