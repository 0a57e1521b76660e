package dev.cria.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HalfMatrixTest {

    /** Random finite f16 bit patterns (subnormals, signed zeros and ±65504 included), decoded by the JDK. */
    private static short[] randomF16(Random rnd, int count, float[] decoded) {
        short[] bits = new short[count];
        for (int i = 0; i < count; i++) {
            int b;
            do {
                b = rnd.nextInt(1 << 16);
            } while ((b & 0x7C00) == 0x7C00);
            bits[i] = (short) b;
            decoded[i] = Float.float16ToFloat((short) b);
        }
        return bits;
    }

    /** Random bf16 patterns with exponents in [2⁻²⁷, 2²⁸), so that no product over- or underflows; decoded by definition. */
    private static short[] randomBf16(Random rnd, int count, float[] decoded) {
        short[] bits = new short[count];
        for (int i = 0; i < count; i++) {
            int exponent = 100 + rnd.nextInt(55);
            int b = (rnd.nextInt(2) << 15) | (exponent << 7) | rnd.nextInt(1 << 7);
            bits[i] = (short) b;
            decoded[i] = Float.intBitsToFloat(b << 16);
        }
        return bits;
    }

    @ParameterizedTest(name = "{0} {1}x{2}, n = {3}")
    @CsvSource({
        "F16, 1, 1, 1", "F16, 1, 7, 2", "F16, 3, 9, 3", "F16, 4, 8, 4", "F16, 5, 31, 5", "F16, 9, 33, 9",
        "F16, 64, 100, 17", "F16, 172, 288, 6", "F16, 301, 513, 13",
        "BF16, 1, 1, 1", "BF16, 1, 7, 2", "BF16, 3, 9, 3", "BF16, 4, 8, 4", "BF16, 5, 31, 5", "BF16, 9, 33, 9",
        "BF16, 64, 100, 17", "BF16, 172, 288, 6", "BF16, 301, 513, 13"
    })
    void matvecAndMatmulMatchTheDoublePrecisionProductOfTheDecodedWeights(DType type, int rows, int cols, int n) {
        Random rnd = new Random(17L * rows + cols + type.ordinal());
        float[] w = new float[rows * cols];
        short[] bits = type == DType.F16 ? randomF16(rnd, w.length, w) : randomBf16(rnd, w.length, w);
        float[] x = F32MatrixTest.gaussian(rnd, n * cols);
        Matrix m = Matrices.of(type, MemorySegment.ofArray(bits), rows, cols);
        assertEquals(type, m.type());

        float[] y = new float[rows];
        m.matvec(x, y, 0, rows);
        Reference.assertMatmul(w, rows, cols, x, 1, y, 0, rows, type + " matvec");

        float[] yn = new float[n * rows];
        m.matmul(x, n, yn, 0, rows);
        Reference.assertMatmul(w, rows, cols, x, n, yn, 0, rows, type + " matmul");

        float[] partial = new float[n * rows];
        int from = rows / 3;
        int to = Math.max(from, rows - rows / 4);
        m.matmul(x, n, partial, from, to);
        Reference.assertMatmul(w, rows, cols, x, n, partial, from, to, type + " matmul rows [" + from + ", " + to + ")");

        float[] row = new float[cols + 2];
        m.dequantizeRow(rows - 1, row, 2);
        for (int c = 0; c < cols; c++) {
            assertEquals(Float.floatToRawIntBits(w[(rows - 1) * cols + c]), Float.floatToRawIntBits(row[2 + c]), "column " + c);
        }
    }
}
