package dev.cria.train.op;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

/**
 * Central finite differences in double precision over a double-precision reference forward, written independently of
 * the op under test (plain loops, full softmax, no tiling). The scalar checked is {@code L = Σ g·y} for a fixed random
 * upstream gradient {@code g}, so {@code ∂L/∂y = g} is the {@code dy} handed to the float backward.
 *
 * <p>With ε = 1e-5 the difference quotient is exact to about 1e-9 (truncation ε², rounding 1e-16/ε), far below the
 * float backward's own rounding; the tolerance (1e-4 of the largest gradient, per element) is the float op's.
 */
final class GradientCheck {
    static final double EPS = 1e-5;
    static final double TOLERANCE = 1e-4;

    interface Loss {
        double at(double[] x);
    }

    private GradientCheck() {
    }

    /** dL/dx[i] for every i, by (L(x + ε e_i) - L(x - ε e_i)) / 2ε. */
    static double[] numeric(Loss loss, double[] x) {
        double[] grad = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double saved = x[i];
            x[i] = saved + EPS;
            double plus = loss.at(x);
            x[i] = saved - EPS;
            double minus = loss.at(x);
            x[i] = saved;
            grad[i] = (plus - minus) / (2 * EPS);
        }
        return grad;
    }

    static void assertGradient(String what, double[] expected, float[] actual, int actualOff) {
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertTrue(scale > 1e-3, what + ": the reference gradient is (near) zero, the check would be vacuous");
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[actualOff + i]);
            if (err > TOLERANCE * scale) {
                throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[actualOff + i]
                        + " (tolerance " + TOLERANCE * scale + ")");
            }
        }
    }

    static void assertValues(String what, double[] expected, float[] actual, double tolerance) {
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            if (err > tolerance * Math.max(1, Math.abs(expected[i]))) {
                throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }

    static float[] randomFloats(Random random, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (scale * random.nextGaussian());
        }
        return x;
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    static double dot(double[] g, double[] y) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += g[i] * y[i];
        }
        return s;
    }
}
