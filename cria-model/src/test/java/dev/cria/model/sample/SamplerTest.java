package dev.cria.model.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final int DRAWS = 100_000;

    /** Logits whose softmax is {@code p} (normalized). */
    private static float[] logitsOf(double... p) {
        float[] l = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            l[i] = (float) Math.log(p[i]);
        }
        return l;
    }

    private static double[] frequencies(SamplerSettings settings, float[] logits) {
        Sampler s = Sampler.of(settings, logits.length);
        double[] f = new double[logits.length];
        for (int i = 0; i < DRAWS; i++) {
            f[s.sample(logits)]++;
        }
        for (int i = 0; i < f.length; i++) {
            f[i] /= DRAWS;
        }
        return f;
    }

    /** Frequencies within 0.01 of {@code expected} (about ten standard deviations at 100,000 draws). */
    private static void assertFrequencies(double[] expected, double[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 0.01, "token " + i + ": " + Arrays.toString(actual));
        }
    }

    @Test
    void greedyTakesTheLargestLogitAndTheLowestIdOnTies() {
        assertInstanceOf(GreedySampler.class, Sampler.of(SamplerSettings.greedy(), 4));
        assertEquals(2, new GreedySampler().sample(new float[] {1f, 3f, 5f, 5f}));
        assertEquals(0, new GreedySampler().sample(new float[] {-1f, -1f}));
    }

    @Test
    void drawsInProportionToTheSoftmax() {
        assertFrequencies(new double[] {0.1, 0.2, 0.3, 0.4}, frequencies(new SamplerSettings(1f, 0, 1f, 7), logitsOf(1, 2, 3, 4)));
    }

    @Test
    void temperatureDividesTheLogits() {
        // T = 1/2 squares the probabilities: 1:4:9:16.
        assertFrequencies(new double[] {1 / 30.0, 4 / 30.0, 9 / 30.0, 16 / 30.0},
                frequencies(new SamplerSettings(0.5f, 0, 1f, 8), logitsOf(1, 2, 3, 4)));
    }

    @Test
    void topKKeepsTheKLargest() {
        assertFrequencies(new double[] {0, 0, 3 / 7.0, 4 / 7.0}, frequencies(new SamplerSettings(1f, 2, 1f, 9), logitsOf(1, 2, 3, 4)));
        assertFrequencies(new double[] {0, 0, 0, 1}, frequencies(new SamplerSettings(5f, 1, 1f, 9), logitsOf(1, 2, 3, 4)));
    }

    @Test
    void topPKeepsTheShortestPrefixThatExceedsP() {
        // 0.4 alone does not exceed 0.5; 0.4 + 0.3 does.
        assertFrequencies(new double[] {0, 0, 3 / 7.0, 4 / 7.0}, frequencies(new SamplerSettings(1f, 0, 0.5f, 10), logitsOf(1, 2, 3, 4)));
        assertFrequencies(new double[] {0, 0, 0, 1}, frequencies(new SamplerSettings(1f, 0, 0.35f, 10), logitsOf(1, 2, 3, 4)));
    }

    @Test
    void topPAppliesToTheTemperedDistribution() {
        // p = (0.7, 0.2, 0.1): top-p 0.6 keeps token 0 alone at T = 1; at T = 3 the distribution is (0.458, 0.302, 0.240)
        // and the nucleus is {0, 1}.
        double[] cold = frequencies(new SamplerSettings(1f, 0, 0.6f, 11), logitsOf(0.7, 0.2, 0.1));
        assertFrequencies(new double[] {1, 0, 0}, cold);
        double w0 = Math.pow(0.7, 1 / 3.0);
        double w1 = Math.pow(0.2, 1 / 3.0);
        double[] hot = frequencies(new SamplerSettings(3f, 0, 0.6f, 11), logitsOf(0.7, 0.2, 0.1));
        assertFrequencies(new double[] {w0 / (w0 + w1), w1 / (w0 + w1), 0}, hot);
    }

    @Test
    void topKThenTopPOnALargeVocabularyDrawOnlyFromTheNucleus() {
        Random r = new Random(5);
        float[] logits = new float[32000];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (r.nextGaussian() * 3);
        }
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        for (int topK : new int[] {0, 40}) {
            int candidates = topK == 0 ? logits.length : topK;
            float temperature = 0.8f;
            double max = logits[order[0]];
            double sum = 0;
            for (int i = 0; i < candidates; i++) {
                sum += Math.exp((logits[order[i]] - max) / temperature);
            }
            Set<Integer> nucleus = new HashSet<>();
            double cumulative = 0;
            for (int i = 0; i < candidates && cumulative <= 0.9 * sum; i++) {
                cumulative += Math.exp((logits[order[i]] - max) / temperature);
                nucleus.add(order[i]);
            }
            Sampler s = Sampler.of(new SamplerSettings(temperature, topK, 0.9f, 12), logits.length);
            Set<Integer> drawn = new HashSet<>();
            for (int i = 0; i < 3_000; i++) {
                int t = s.sample(logits);
                assertTrue(nucleus.contains(t), "top-k " + topK + ": token " + t + " is outside the nucleus of " + nucleus.size());
                drawn.add(t);
            }
            assertTrue(drawn.size() > 1, "draws vary");
        }
    }

    @Test
    void theSameSeedGivesTheSameTokens() {
        float[] logits = logitsOf(1, 2, 3, 4, 5, 6, 7, 8);
        SamplerSettings settings = new SamplerSettings(0.9f, 5, 0.95f, 42);
        int[] a = draw(Sampler.of(settings, 8), logits, 200);
        int[] b = draw(Sampler.of(settings, 8), logits, 200);
        int[] c = draw(Sampler.of(new SamplerSettings(0.9f, 5, 0.95f, 43), 8), logits, 200);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    private static int[] draw(Sampler s, float[] logits, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = s.sample(logits);
        }
        return out;
    }

    @Test
    void samplingLeavesTheLogitsUntouched() {
        float[] logits = logitsOf(1, 2, 3, 4);
        float[] copy = logits.clone();
        Sampler.of(new SamplerSettings(0.7f, 3, 0.8f, 1), 4).sample(logits);
        assertArrayEquals(copy, logits);
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SamplerSettings(-0.1f, 0, 1f, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplerSettings(Float.NaN, 0, 1f, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplerSettings(1f, -1, 1f, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplerSettings(1f, 0, 0f, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplerSettings(1f, 0, 1.5f, 0));
        assertThrows(IllegalArgumentException.class, () -> Sampler.of(new SamplerSettings(1f, 0, 1f, 0), 4).sample(new float[5]));
    }
}
