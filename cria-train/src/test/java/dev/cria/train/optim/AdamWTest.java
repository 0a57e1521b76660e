package dev.cria.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cria.tensor.Parallel;
import dev.cria.train.ParameterTensor;
import dev.cria.train.Parameters;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdamWTest {

    @Test
    void firstStepMatchesAHandComputedUpdate() {
        // One decayed weight and one undecayed gain, lr 0.1, PyTorch AdamW semantics written out by hand:
        // t=1: m = 0.1 g, v = 0.05 g², m̂ = g, v̂ = g², update = lr · g / (|g| + eps) = lr · sign(g) (eps negligible).
        Parameters p = new Parameters(new float[] {2f, 3f}, new float[] {0.5f, -4f},
                List.of(new ParameterTensor("w", 0, new int[] {1}, true), new ParameterTensor("g", 1, new int[] {1}, false)));
        try (Parallel parallel = new Parallel(1)) {
            new AdamW(p, AdamWSettings.LLAMA).step(0.1, parallel);
        }
        // w: 2 · (1 − 0.1·0.1) − 0.1 · 0.5/(0.5 + 1e-8) = 1.98 − 0.1 = 1.88 (to 1e-8)
        // g: 3 + 0.1 = 3.1 (no decay)
        assertEquals(1.88f, p.values()[0], 1e-6f);
        assertEquals(3.1f, p.values()[1], 1e-6f);
    }

    @Test
    void tenStepsTrackADoublePrecisionReferenceOfTorchAdamW() {
        int n = 300;
        SplittableRandom random = new SplittableRandom(7);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        // Tensors: [0,100) decayed, [100,150) not, [150,300) decayed.
        List<ParameterTensor> tensors = List.of(new ParameterTensor("a", 0, new int[] {10, 10}, true),
                new ParameterTensor("b", 100, new int[] {50}, false), new ParameterTensor("c", 150, new int[] {150}, true));
        Parameters p = new Parameters(values.clone(), new float[n], tensors);
        AdamWSettings s = new AdamWSettings(0.9, 0.95, 1e-8, 0.1);
        AdamW adamw = new AdamW(p, s);

        double[] theta = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            theta[i] = values[i];
        }
        try (Parallel parallel = new Parallel(3)) {
            for (int t = 1; t <= 10; t++) {
                double lr = 3e-3 * t;
                for (int i = 0; i < n; i++) {
                    p.grads()[i] = (float) (random.nextGaussian() * 0.01 * (i % 7 + 1));
                }
                adamw.step(lr, parallel);
                // torch.optim.AdamW, _single_tensor_adamw, in double precision.
                for (int i = 0; i < n; i++) {
                    double g = p.grads()[i];
                    boolean decayed = i < 100 || i >= 150;
                    if (decayed) {
                        theta[i] *= 1 - lr * 0.1;
                    }
                    m[i] = 0.9 * m[i] + 0.1 * g;
                    v[i] = 0.95 * v[i] + 0.05 * g * g;
                    double bc1 = 1 - Math.pow(0.9, t);
                    double bc2 = 1 - Math.pow(0.95, t);
                    double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + 1e-8;
                    theta[i] -= lr / bc1 * m[i] / denom;
                }
            }
        }
        assertEquals(10, adamw.steps());
        for (int i = 0; i < n; i++) {
            assertEquals(theta[i], p.values()[i], 2e-6 * Math.max(1, Math.abs(theta[i])), "element " + i);
            assertEquals(m[i], adamw.firstMoment()[i], 1e-8 + 1e-5 * Math.abs(m[i]), "m " + i);
            assertEquals(v[i], adamw.secondMoment()[i], 1e-12 + 1e-5 * Math.abs(v[i]), "v " + i);
        }
    }

    @Test
    void givesTheSameBitsWhateverTheThreadCount() {
        int n = (1 << 17) + 123;
        float[] a = run(n, 1);
        float[] b = run(n, 4);
        assertArrayEquals(a, b);
    }

    private static float[] run(int n, int threads) {
        SplittableRandom random = new SplittableRandom(3);
        float[] values = new float[n];
        float[] grads = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
            grads[i] = (float) random.nextGaussian();
        }
        int half = n / 2;
        Parameters p = new Parameters(values, grads, List.of(new ParameterTensor("x", 0, new int[] {half}, true),
                new ParameterTensor("y", half, new int[] {n - half}, false)));
        AdamW adamw = new AdamW(p, AdamWSettings.LLAMA);
        try (Parallel parallel = new Parallel(threads)) {
            adamw.step(1e-3, parallel);
            adamw.step(2e-3, parallel);
        }
        return p.values();
    }
}
