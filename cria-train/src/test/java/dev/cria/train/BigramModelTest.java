package dev.cria.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The test model's hand-derived gradient against central finite differences. */
class BigramModelTest {

    @Test
    void gradientMatchesFiniteDifferences() {
        BigramModel model = new BigramModel(7, 4, 3);
        int[] in = {1, 5, 5, 0, 6, 2};
        int[] out = {5, 5, 0, 6, 2, 1};
        Parameters p = model.parameters();
        model.forwardBackward(in, out, 2, 3);
        float[] analytic = p.grads().clone();
        for (int i = 0; i < p.count(); i++) {
            float saved = p.values()[i];
            float h = 1e-2f;
            p.values()[i] = saved + h;
            double plus = model.loss(in, out, 2, 3);
            p.values()[i] = saved - h;
            double minus = model.loss(in, out, 2, 3);
            p.values()[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, analytic[i], 2e-3 * Math.max(1, Math.abs(numeric)), "parameter " + i);
        }
    }
}
