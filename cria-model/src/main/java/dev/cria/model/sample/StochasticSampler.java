package dev.cria.model.sample;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Draws the next token at random, in this order (llama2.c's; the steps that are off are skipped):
 * <ol>
 *   <li>top-k: keep the {@code k} tokens with the largest logits;</li>
 *   <li>temperature: divide the kept logits by {@code T};</li>
 *   <li>softmax over the kept tokens;</li>
 *   <li>top-p: sort by probability and keep the shortest prefix whose cumulative probability exceeds {@code p}
 *       (the token that crosses {@code p} is kept);</li>
 *   <li>draw one token in proportion to the probabilities that are left.</li>
 * </ol>
 * llama.cpp's default chain (top-k, top-p, min-p, temperature, draw) differs: it cuts the nucleus from the distribution
 * before the temperature, and adds min-p.
 *
 * <p>Before sorting for top-p, tokens with probability below {@code (1-p)/(n-1)} are dropped: they cannot be part of
 * the nucleus (llama2.c's shortcut), which keeps the sort short for large vocabularies.
 *
 * <p>Every buffer is allocated once, for the vocabulary size; sampling allocates nothing.
 */
public final class StochasticSampler implements Sampler {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private final SamplerSettings settings;
    private final SplittableRandom random;
    private final int[] candidates;
    private final float[] weights;

    public StochasticSampler(SamplerSettings settings, int vocabSize) {
        if (settings.isGreedy()) {
            throw new IllegalArgumentException("temperature 0 is greedy decoding: use GreedySampler");
        }
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
        this.candidates = new int[vocabSize];
        this.weights = new float[vocabSize];
    }

    @Override
    public int sample(float[] logits) {
        if (logits.length != candidates.length) {
            throw new IllegalArgumentException("logits have " + logits.length + " values, the sampler was made for " + candidates.length);
        }
        int n = topK(logits);
        double sum = softmaxWeights(logits, n);
        if (settings.topP() < 1f && n > 1) {
            n = nucleus(logits, n, sum);
            sum = 0;
            for (int i = 0; i < n; i++) {
                sum += weights[i];
            }
        }
        double r = random.nextDouble() * sum;
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += weights[i];
            if (r < cumulative) {
                return candidates[i];
            }
        }
        return candidates[n - 1];
    }

    /** Fills {@code candidates} with the ids that pass top-k (sorted by decreasing logit when top-k is on); returns their count. */
    private int topK(float[] logits) {
        int vocab = logits.length;
        int k = settings.topK();
        if (k == 0 || k >= vocab) {
            for (int i = 0; i < vocab; i++) {
                candidates[i] = i;
            }
            return vocab;
        }
        // A min-heap of the k largest seen so far: its root is the smallest of them.
        for (int i = 0; i < k; i++) {
            candidates[i] = i;
        }
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDownMin(logits, i, k);
        }
        for (int i = k; i < vocab; i++) {
            if (logits[i] > logits[candidates[0]]) {
                candidates[0] = i;
                siftDownMin(logits, 0, k);
            }
        }
        sortDescending(logits, k);
        return k;
    }

    /** Unnormalized probabilities {@code exp((l - max) / T)} of the candidates into {@code weights}; returns their sum. */
    private double softmaxWeights(float[] logits, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[candidates[i]]);
        }
        float inverseT = (float) (1.0 / settings.temperature());
        if (n == logits.length) {
            return allWeights(logits, max, inverseT);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float w = (float) Math.exp((logits[candidates[i]] - max) * inverseT);
            weights[i] = w;
            sum += w;
        }
        return sum;
    }

    /** The whole vocabulary in id order (no top-k): vectorized, as this runs over every logit for every token. */
    private double allWeights(float[] logits, float max, float inverseT) {
        int i = 0;
        double sum = 0;
        FloatVector vmax = FloatVector.broadcast(S, max);
        for (int upper = S.loopBound(logits.length); i < upper; i += S.length()) {
            FloatVector w = FloatVector.fromArray(S, logits, i).sub(vmax).mul(inverseT).lanewise(VectorOperators.EXP);
            w.intoArray(weights, i);
            sum += w.reduceLanes(VectorOperators.ADD);
        }
        for (; i < logits.length; i++) {
            weights[i] = (float) Math.exp((logits[i] - max) * inverseT);
            sum += weights[i];
        }
        return sum;
    }

    /**
     * Keeps the nucleus at the front of {@code candidates}/{@code weights}, sorted by decreasing probability, and
     * returns its size. {@code sum} is the total weight of all {@code n} candidates: the nucleus is the shortest
     * prefix whose weight exceeds {@code p · sum}.
     */
    private int nucleus(float[] logits, int n, double sum) {
        double p = settings.topP();
        double cutoff = (1 - p) / (n - 1) * sum;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (weights[i] >= cutoff) {
                candidates[kept++] = candidates[i];
            }
        }
        if (kept == 0) {
            kept = n;
        }
        sortDescending(logits, kept);
        // Sorting moved the ids only; the largest logit is first, the same maximum softmaxWeights used.
        float max = logits[candidates[0]];
        float inverseT = (float) (1.0 / settings.temperature());
        double target = p * sum;
        double cumulative = 0;
        for (int i = 0; i < kept; i++) {
            weights[i] = (float) Math.exp((logits[candidates[i]] - max) * inverseT);
            cumulative += weights[i];
            if (cumulative > target) {
                return i + 1;
            }
        }
        return kept;
    }

    /** Heapsort of {@code candidates[0, n)} by decreasing logit (ties: lower id first). */
    private void sortDescending(float[] logits, int n) {
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDownMin(logits, i, n);
        }
        // Repeatedly move the smallest to the end: the array ends sorted from largest to smallest.
        for (int end = n - 1; end > 0; end--) {
            int tmp = candidates[0];
            candidates[0] = candidates[end];
            candidates[end] = tmp;
            siftDownMin(logits, 0, end);
        }
    }

    /** "Smaller" means a smaller logit, or an equal logit and a larger id, so that ties sort by increasing id. */
    private boolean smaller(float[] logits, int a, int b) {
        float la = logits[a];
        float lb = logits[b];
        return la < lb || (la == lb && a > b);
    }

    private void siftDownMin(float[] logits, int i, int n) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= n) {
                return;
            }
            int child = left;
            int right = left + 1;
            if (right < n && smaller(logits, candidates[right], candidates[left])) {
                child = right;
            }
            if (!smaller(logits, candidates[child], candidates[i])) {
                return;
            }
            int tmp = candidates[i];
            candidates[i] = candidates[child];
            candidates[child] = tmp;
            i = child;
        }
    }
}
