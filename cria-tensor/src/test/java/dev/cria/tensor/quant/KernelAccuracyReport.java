package dev.cria.tensor.quant;

import dev.cria.tensor.DType;
import dev.cria.tensor.Matrix;
import java.io.IOException;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prints how far each kernel's products are from exact ones, for docs/benchmarks-quant.md (run on request:
 * {@code mvn -pl cria-tensor test -Dtest=KernelAccuracyReport -Dcria.excludedGroups=none}).
 *
 * <p>Reference: the dequantized weights times the unquantized activations, in double. Reported per kernel: the
 * relative RMS error {@code ‖y - ref‖ / ‖ref‖}, and the largest error relative to {@code Σ |w x|} of its row. For
 * scale, the same for the f32 weights before quantization (the quantization error itself).
 */
@Tag("benchmark")
class KernelAccuracyReport {

    @Test
    void printsErrorsOfBothKernels() throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        Stories260K model = Stories260K.load();
        System.out.println("| weights | type | n | F32 kernel rel. RMS | F32 max/Σ|wx| | Q8_0 kernel rel. RMS | Q8_0 max/Σ|wx| | weight quantization rel. RMS |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (DType type : new DType[] {DType.Q8_0, DType.Q4_0}) {
            Stories260K.Tensor wq = model.matrices().stream().filter(t -> t.name().equals("w1[2]")).findFirst().orElseThrow();
            float[] gaussian = QuantMatrixTest.gaussian(random, 768 * 2048, 0.02);
            for (int n : new int[] {1, 16}) {
                report("stories260K w1[2] 172x64", type, wq.values(model.all()), wq.rows(), wq.cols(), n, random);
                report("gaussian 768x2048", type, gaussian, 768, 2048, n, random);
            }
        }
    }

    private static void report(String name, DType type, float[] w, int rows, int cols, int n, SplittableRandom random) {
        float[] x = QuantMatrixTest.gaussian(random, n * cols, 1.0);
        double[] f32 = errors(QuantMatrixTest.matrix(type, QuantKernel.F32, w, rows, cols), x, n, null);
        double[] q8 = errors(QuantMatrixTest.matrix(type, QuantKernel.Q8_0, w, rows, cols), x, n, null);
        double[] weights = errors(QuantMatrixTest.matrix(type, QuantKernel.F32, w, rows, cols), x, n, w);
        System.out.println(String.format(Locale.ROOT, "| %s | %s | %d | %.2e | %.2e | %.2e | %.2e | %.2e |",
                name, type, n, f32[0], f32[1], q8[0], q8[1], weights[0]));
    }

    /** {rel. RMS, max error / Σ|wx|} of m's matmul against the double product of its weights (or {@code exact}) and x. */
    private static double[] errors(Matrix m, float[] x, int n, float[] exact) {
        int rows = m.rows();
        int cols = m.cols();
        float[] y = new float[n * rows];
        m.matmul(x, n, y, 0, rows);
        float[] w = m.toFloatArray();
        double sq = 0;
        double refSq = 0;
        double worst = 0;
        for (int t = 0; t < n; t++) {
            for (int r = 0; r < rows; r++) {
                double ref = 0;
                double mag = 0;
                double ours = 0;
                for (int c = 0; c < cols; c++) {
                    double xc = x[t * cols + c];
                    ref += (exact == null ? w[r * cols + c] : exact[r * cols + c]) * xc;
                    ours += w[r * cols + c] * xc;
                    mag += Math.abs(w[r * cols + c] * xc);
                }
                double got = exact == null ? y[t * rows + r] : ours;
                sq += (got - ref) * (got - ref);
                refSq += ref * ref;
                worst = Math.max(worst, Math.abs(got - ref) / mag);
            }
        }
        return new double[] {Math.sqrt(sq / refSq), worst};
    }
}
