package dev.cria.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cria.tensor.DType;
import dev.cria.tensor.Matrix;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link QuantKernel#Q8_0} kernel against llama.cpp's own AVX2 code (libggml-cpu-haswell.so through FFM): the
 * activation blocks must equal {@code quantize_row_q8_0}'s bytes and every output must equal
 * {@code ggml_vec_dot_q8_0_q8_0} / {@code ggml_vec_dot_q4_0_q8_0} bit for bit.
 */
class LlamaCppDotTest {

    @Test
    void quantizesActivationsLikeLlamaCppsAvx2Code() {
        SplittableRandom random = new SplittableRandom(23);
        int cols = 4096;
        Q8Activations a = new Q8Activations();
        a.reshape(1, cols);
        for (int trial = 0; trial < 20; trial++) {
            float[] x = activations(random, cols, trial);
            a.quantizeRow(x, 0, 0);
            assertArrayEquals(Ggml.haswell().quantizeRowQ8_0(x), a.toBlocks(0), "activation blocks, trial " + trial);
        }
    }

    @Test
    void roundsActivationTiesToEvenLikeLlamaCpp() {
        // amax 127 makes id exactly 1, so x * id lands on the halfway points; AVX2 rounds them to even, roundf would not.
        float[] x = new float[64];
        for (int j = 0; j < 64; j++) {
            x[j] = (j % 2 == 0 ? 1 : -1) * (j + 0.5f);
        }
        x[31] = 127f;
        x[63] = -127f;
        Q8Activations a = new Q8Activations();
        a.reshape(1, 64);
        a.quantizeRow(x, 0, 0);
        assertArrayEquals(Ggml.haswell().quantizeRowQ8_0(x), a.toBlocks(0));
    }

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0"})
    void integerKernelEqualsGgmlVecDotBitForBit(DType type) {
        SplittableRandom random = new SplittableRandom(29);
        int rows = 40;
        int cols = 2048;
        byte[] weights = randomBlocks(random, type, rows * cols / 32);
        assertSameAsGgml(type, weights, rows, cols, random, 5, "random blocks");
    }

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0"})
    void integerKernelEqualsGgmlVecDotOnStories260K(DType type) throws IOException {
        Stories260K model = Stories260K.load();
        SplittableRandom random = new SplittableRandom(31);
        for (Stories260K.Tensor t : model.matrices()) {
            if (t.cols() % 32 == 0) {
                byte[] weights = QuantizedFormats.quantize(type, t.values(model.all()), t.rows(), t.cols());
                assertSameAsGgml(type, weights, t.rows(), t.cols(), random, 3, t.name());
            }
        }
    }

    private static void assertSameAsGgml(DType type, byte[] weights, int rows, int cols, SplittableRandom random, int n, String what) {
        Matrix m = type == DType.Q8_0
                ? new Q8_0Matrix(MemorySegment.ofArray(weights), rows, cols, QuantKernel.Q8_0)
                : new Q4_0Matrix(MemorySegment.ofArray(weights), rows, cols, QuantKernel.Q8_0);
        float[] x = new float[n * cols];
        for (int t = 0; t < n; t++) {
            System.arraycopy(activations(random, cols, t), 0, x, t * cols, cols);
        }
        float[] batch = new float[n * rows];
        m.matmul(x, n, batch, 0, rows);
        float[] single = new float[rows];
        int rowBytes = (int) type.rowBytes(cols);
        for (int t = 0; t < n; t++) {
            float[] xt = Arrays.copyOfRange(x, t * cols, (t + 1) * cols);
            byte[] ggmlActivations = Ggml.haswell().quantizeRowQ8_0(xt);
            m.matvec(xt, single, 0, rows);
            for (int r = 0; r < rows; r++) {
                byte[] row = Arrays.copyOfRange(weights, r * rowBytes, (r + 1) * rowBytes);
                float expected = Ggml.haswell().vecDot(type, row, ggmlActivations, cols);
                check(expected, single[r], what + " matvec token " + t + " row " + r);
                check(expected, batch[t * rows + r], what + " matmul token " + t + " row " + r);
            }
        }
    }

    private static void check(float expected, float actual, String what) {
        if (Float.floatToIntBits(expected) != Float.floatToIntBits(actual)) {
            fail(what + ": ggml " + expected + " (0x" + Integer.toHexString(Float.floatToIntBits(expected)) + "), ours " + actual
                    + " (0x" + Integer.toHexString(Float.floatToIntBits(actual)) + ")");
        }
    }

    /** Gaussian activations with a few outliers and, every third row, a block of zeros (amax 0: id 0). */
    private static float[] activations(SplittableRandom random, int cols, int trial) {
        float[] x = new float[cols];
        double scale = Math.pow(10, trial % 7 - 3);
        for (int i = 0; i < cols; i++) {
            x[i] = (float) (random.nextGaussian() * scale);
        }
        x[random.nextInt(cols)] *= 40f;
        if (trial % 3 == 0 && cols >= 96) {
            Arrays.fill(x, 64, 96, 0f);
        }
        return x;
    }

    /** Random blocks with finite scales; Q8_0 quants span all of int8, -128 included. */
    private static byte[] randomBlocks(SplittableRandom random, DType type, int blocks) {
        byte[] data = new byte[blocks * type.blockBytes()];
        random.nextBytes(data);
        for (int b = 0; b < blocks; b++) {
            short d = Float.floatToFloat16((float) (random.nextGaussian() * 1e-2));
            data[b * type.blockBytes()] = (byte) d;
            data[b * type.blockBytes() + 1] = (byte) (d >>> 8);
        }
        return data;
    }
}
