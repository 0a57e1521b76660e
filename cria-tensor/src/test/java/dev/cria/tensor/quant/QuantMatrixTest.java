package dev.cria.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cria.tensor.DType;
import dev.cria.tensor.Kernels;
import dev.cria.tensor.Matrices;
import dev.cria.tensor.Matrix;
import dev.cria.tensor.Parallel;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The quantized products against a double-precision reference built from the dequantized weights (whose values are
 * pinned to ggml's by {@link QuantizedFormatsTest}).
 *
 * <p>Tolerance: every kernel evaluates {@code Σ w_i x_i} with f32 roundings along chains of at most
 * {@code k = cols / 8 + 16} operations per result (per vector lane: one fused multiply-add per 8 columns or per
 * block, then the per-block scale, the lane reduction and one add per 1024-column slice). The standard bound for a
 * sum evaluated in any order with {@code k} roundings is {@code |fl(S) - S| ≤ γ_k Σ |w_i x_i|}, {@code γ_k = k u /
 * (1 - k u)}, {@code u = 2^-24}; it is what the tests assert. The dequantized weights {@code d · q} are exact in f32
 * (11 + 8 significant bits), so the scaled block sums add no error of their own beyond these roundings. The
 * {@link QuantKernel#Q8_0} kernel is compared with the activations it actually used (its Q8_0 quantization of x);
 * its quantization error is measured in the accuracy report, not bounded here.
 */
class QuantMatrixTest {

    static Stream<Arguments> formatsAndKernels() {
        return Stream.of(DType.Q8_0, DType.Q4_0).flatMap(t -> Stream.of(QuantKernel.values()).map(k -> Arguments.of(t, k)));
    }

    @ParameterizedTest
    @MethodSource("formatsAndKernels")
    void matvecMatchesDoubleReferenceOnManyShapes(DType type, QuantKernel kernel) {
        SplittableRandom random = new SplittableRandom(3);
        int[][] shapes = {{1, 32}, {1, 4096}, {5, 96}, {67, 2048}, {130, 1056}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int cols = shape[1];
            float[] w = gaussian(random, rows * cols, 0.05);
            float[] x = gaussian(random, cols, 1.0);
            Matrix m = matrix(type, kernel, w, rows, cols);
            float[] y = new float[rows];
            m.matvec(x, y, 0, rows);
            assertWithinBound(m, kernel, x, 1, y, 0, rows, type + "/" + kernel + " " + rows + "x" + cols);
        }
    }

    @ParameterizedTest
    @MethodSource("formatsAndKernels")
    void matmulMatchesDoubleReferenceForOneTo33Tokens(DType type, QuantKernel kernel) {
        SplittableRandom random = new SplittableRandom(5);
        // 1056 columns: a 1024-column slice and a 32-column rest; 13 rows: a ragged last row tile.
        int rows = 13;
        int cols = 1056;
        float[] w = gaussian(random, rows * cols, 0.05);
        Matrix m = matrix(type, kernel, w, rows, cols);
        for (int n = 1; n <= 33; n++) {
            float[] x = gaussian(random, n * cols, 1.0);
            float[] y = new float[n * rows];
            m.matmul(x, n, y, 0, rows);
            assertWithinBound(m, kernel, x, n, y, 0, rows, type + "/" + kernel + " n=" + n);
        }
    }

    @ParameterizedTest
    @MethodSource("formatsAndKernels")
    void matmulWritesOnlyItsRowRange(DType type, QuantKernel kernel) {
        SplittableRandom random = new SplittableRandom(9);
        int rows = 21;
        int cols = 64;
        int n = 6;
        Matrix m = matrix(type, kernel, gaussian(random, rows * cols, 0.1), rows, cols);
        float[] x = gaussian(random, n * cols, 1.0);
        float[] y = new float[n * rows];
        Arrays.fill(y, Float.NaN);
        m.matmul(x, n, y, 3, 14);
        for (int t = 0; t < n; t++) {
            for (int r = 0; r < rows; r++) {
                boolean inside = r >= 3 && r < 14;
                assertEquals(inside, !Float.isNaN(y[t * rows + r]), "token " + t + " row " + r);
            }
        }
        assertWithinBound(m, kernel, x, n, y, 3, 14, type + "/" + kernel + " rows [3, 14)");
    }

    @ParameterizedTest
    @MethodSource("formatsAndKernels")
    void twoThreadsGiveTheSameBitsAsOne(DType type, QuantKernel kernel) {
        SplittableRandom random = new SplittableRandom(13);
        int rows = 75;
        int cols = 640;
        int n = 9;
        Matrix m = matrix(type, kernel, gaussian(random, rows * cols, 0.1), rows, cols);
        float[] x = gaussian(random, n * cols, 1.0);
        float[] one = new float[n * rows];
        float[] two = new float[n * rows];
        try (Parallel p1 = new Parallel(1); Parallel p2 = new Parallel(2)) {
            Kernels.matmul(p1, m, x, n, one);
            Kernels.matmul(p2, m, x, n, two);
            assertArrayEquals(one, two, "matmul");
            Kernels.matvec(p1, m, x, one);
            Kernels.matvec(p2, m, x, two);
            assertArrayEquals(Arrays.copyOf(one, rows), Arrays.copyOf(two, rows), "matvec");
        }
    }

    @ParameterizedTest
    @MethodSource("formatsAndKernels")
    void multipliesStories260KWeightsWithinTheBound(DType type, QuantKernel kernel) throws IOException {
        Stories260K model = Stories260K.load();
        SplittableRandom random = new SplittableRandom(17);
        for (Stories260K.Tensor t : model.matrices()) {
            if (t.cols() % 32 != 0) {
                continue;
            }
            Matrix m = matrix(type, kernel, t.values(model.all()), t.rows(), t.cols());
            int n = 7;
            float[] x = gaussian(random, n * t.cols(), 1.0);
            float[] y = new float[n * t.rows()];
            m.matmul(x, n, y, 0, t.rows());
            assertWithinBound(m, kernel, x, n, y, 0, t.rows(), type + "/" + kernel + " " + t.name() + " matmul");
            m.matvec(x, y, 0, t.rows());
            assertWithinBound(m, kernel, x, 1, y, 0, t.rows(), type + "/" + kernel + " " + t.name() + " matvec");
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0"})
    void dequantizesRowsBitForBitLikeGgml(DType type) {
        SplittableRandom random = new SplittableRandom(19);
        int rows = 9;
        int cols = 160;
        byte[] data = new byte[(int) type.rowBytes(cols) * rows];
        random.nextBytes(data);
        Matrix m = Matrices.of(type, MemorySegment.ofArray(data), rows, cols);
        float[] ggml = Ggml.base().toFloat(type, data, rows * cols);
        float[] ours = m.toFloatArray();
        for (int i = 0; i < ggml.length; i++) {
            if (Float.floatToRawIntBits(ggml[i]) != Float.floatToRawIntBits(ours[i])) {
                fail(type + " value " + i + ": ggml " + ggml[i] + ", ours " + ours[i]);
            }
        }
    }

    @Test
    void rejectsMismatchedSizesWithClearMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Q8_0Matrix(MemorySegment.ofArray(new byte[68]), 3, 32, QuantKernel.F32));
        assertTrue(e.getMessage().contains("Q8_0 matrix 3x32 needs 102 bytes, got 68"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Q4_0Matrix(MemorySegment.ofArray(new byte[18]), 1, 20, QuantKernel.F32));
        assertTrue(e.getMessage().contains("multiple of 32"), e.getMessage());
        Matrix m = new Q4_0Matrix(MemorySegment.ofArray(new byte[36]), 1, 64, QuantKernel.F32);
        e = assertThrows(IllegalArgumentException.class, () -> m.matvec(new float[32], new float[1], 0, 1));
        assertTrue(e.getMessage().contains("activations need 1x64 values, got 32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.matmul(new float[128], 2, new float[1], 0, 1));
        assertTrue(e.getMessage().contains("output needs 2x1 values, got 1"), e.getMessage());
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class, () -> m.matvec(new float[64], new float[1], 0, 2));
        assertTrue(oob.getMessage().contains("row range [0, 2) outside [0, 1)"), oob.getMessage());
    }

    @Test
    void readsTheDefaultKernelFromTheSystemProperty() {
        String before = System.getProperty(QuantKernel.PROPERTY);
        try {
            System.clearProperty(QuantKernel.PROPERTY);
            assertEquals(QuantKernel.F32, QuantKernel.defaultKernel());
            System.setProperty(QuantKernel.PROPERTY, "Q8_0");
            assertEquals(QuantKernel.Q8_0, QuantKernel.defaultKernel());
            System.setProperty(QuantKernel.PROPERTY, "int8");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, QuantKernel::defaultKernel);
            assertTrue(e.getMessage().contains("expected f32 or q8_0"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(QuantKernel.PROPERTY);
            } else {
                System.setProperty(QuantKernel.PROPERTY, before);
            }
        }
    }

    static Matrix matrix(DType type, QuantKernel kernel, float[] w, int rows, int cols) {
        MemorySegment data = MemorySegment.ofArray(QuantizedFormats.quantize(type, w, rows, cols));
        return type == DType.Q8_0 ? new Q8_0Matrix(data, rows, cols, kernel) : new Q4_0Matrix(data, rows, cols, kernel);
    }

    static float[] gaussian(SplittableRandom random, int n, double sigma) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * sigma);
        }
        return v;
    }

    /** The activations the kernel multiplies with: x itself, or its Q8_0 quantization for the integer kernel. */
    static float[] effectiveActivations(QuantKernel kernel, float[] x, int n, int cols) {
        if (kernel == QuantKernel.F32) {
            return Arrays.copyOf(x, n * cols);
        }
        Q8Activations a = new Q8Activations();
        a.reshape(n, cols);
        float[] out = new float[n * cols];
        for (int t = 0; t < n; t++) {
            a.quantizeRow(x, t * cols, t);
            for (int b = 0; b < cols / 32; b++) {
                int block = t * (cols / 32) + b;
                for (int i = 0; i < 16; i++) {
                    out[t * cols + b * 32 + 2 * i] = a.even[block * 16 + i] * a.scale[block];
                    out[t * cols + b * 32 + 2 * i + 1] = a.odd[block * 16 + i] * a.scale[block];
                }
            }
        }
        return out;
    }

    static void assertWithinBound(Matrix m, QuantKernel kernel, float[] x, int n, float[] y, int rowFrom, int rowTo, String what) {
        int rows = m.rows();
        int cols = m.cols();
        float[] w = m.toFloatArray();
        float[] xe = effectiveActivations(kernel, x, n, cols);
        double u = 0x1p-24;
        int k = cols / 8 + 16;
        double gamma = k * u / (1 - k * u);
        for (int t = 0; t < n; t++) {
            for (int r = rowFrom; r < rowTo; r++) {
                double exact = 0;
                double magnitude = 0;
                for (int c = 0; c < cols; c++) {
                    double p = (double) w[r * cols + c] * xe[t * cols + c];
                    exact += p;
                    magnitude += Math.abs(p);
                }
                double got = y[t * rows + r];
                double bound = gamma * magnitude + Double.MIN_NORMAL;
                if (!(Math.abs(got - exact) <= bound)) {
                    fail(what + ": token " + t + " row " + r + " = " + got + ", exact " + exact + ", error "
                            + Math.abs(got - exact) + " > bound " + bound);
                }
            }
        }
    }
}
