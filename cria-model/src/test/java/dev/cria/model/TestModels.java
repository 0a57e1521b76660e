package dev.cria.model;

import dev.cria.tensor.Matrices;
import dev.cria.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random-weight models on the heap for tests and benchmarks. */
public final class TestModels {
    private TestModels() {
    }

    /** Weights ~ N(0, 1/in) for matrices (activations stay of order 1), norms around 1. */
    public static LlamaWeights randomWeights(LlamaConfig c, long seed, float[] ropeFactors) {
        SplittableRandom r = new SplittableRandom(seed);
        Matrix embedding = gaussian(r, c.vocabSize(), c.dim(), 1.0);
        List<LlamaWeights.Layer> layers = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            layers.add(new LlamaWeights.Layer(norm(r, c.dim()),
                    gaussian(r, c.dim(), c.dim(), 1.0 / Math.sqrt(c.dim())),
                    gaussian(r, c.kvDim(), c.dim(), 1.0 / Math.sqrt(c.dim())),
                    gaussian(r, c.kvDim(), c.dim(), 1.0 / Math.sqrt(c.dim())),
                    gaussian(r, c.dim(), c.dim(), 1.0 / Math.sqrt(c.dim())),
                    norm(r, c.dim()),
                    gaussian(r, c.hiddenDim(), c.dim(), 1.0 / Math.sqrt(c.dim())),
                    gaussian(r, c.dim(), c.hiddenDim(), 1.0 / Math.sqrt(c.hiddenDim())),
                    gaussian(r, c.hiddenDim(), c.dim(), 1.0 / Math.sqrt(c.dim()))));
        }
        Matrix output = c.tiedEmbeddings() ? embedding : gaussian(r, c.vocabSize(), c.dim(), 1.0 / Math.sqrt(c.dim()));
        return new LlamaWeights(embedding, layers, norm(r, c.dim()), output, ropeFactors);
    }

    public static LlamaModel random(LlamaConfig c, long seed) {
        return new LlamaModel(c, randomWeights(c, seed, null), null, null, "random " + c);
    }

    private static Matrix gaussian(SplittableRandom r, int rows, int cols, double std) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian(r) * std);
        }
        return Matrices.of(v, rows, cols);
    }

    private static float[] norm(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (1 + 0.1 * gaussian(r));
        }
        return v;
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
