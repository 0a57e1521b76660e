package dev.cria.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cria.tensor.Parallel;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    @Test
    void scalesGradientsAboveTheMaximalNormDownToIt() {
        float[] g = {3f, 4f};
        try (Parallel parallel = new Parallel(1)) {
            double norm = GradientClipping.clip(g, 1.0, parallel);
            assertEquals(5.0, norm, 0);
            // torch.nn.utils.clip_grad_norm_: g · 1 / (5 + 1e-6)
            assertEquals(3 / (5 + 1e-6), g[0], 1e-7);
            assertEquals(4 / (5 + 1e-6), g[1], 1e-7);
            assertEquals(1.0, GradientClipping.norm(g, parallel), 1e-6);
        }
    }

    @Test
    void leavesGradientsBelowTheMaximalNormAlone() {
        float[] g = {0.3f, 0.4f};
        try (Parallel parallel = new Parallel(1)) {
            assertEquals(0.5, GradientClipping.clip(g, 1.0, parallel), 1e-7);
        }
        assertArrayEquals(new float[] {0.3f, 0.4f}, g);
    }

    @Test
    void normIsTheSameBitsWhateverTheThreadCount() {
        float[] g = new float[3 * GradientClipping.BLOCK + 17];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) Math.sin(i * 0.37) * 1e-3f;
        }
        try (Parallel one = new Parallel(1); Parallel three = new Parallel(3)) {
            assertEquals(GradientClipping.norm(g, one), GradientClipping.norm(g, three), 0);
        }
    }
}
