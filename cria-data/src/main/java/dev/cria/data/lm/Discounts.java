package dev.cria.data.lm;

/**
 * Modified Kneser-Ney discounts of one order (Chen and Goodman 1998, eq. 26): with t_k the number of n-grams of
 * adjusted count k, Y = t1 / (t1 + 2 t2) and D_k = k − (k+1) Y t_{k+1} / t_k for k = 1, 2, 3 (D3 serves every
 * count of 3 or more).
 */
public record Discounts(float d1, float d2, float d3plus) {

    /** lmplz's {@code --discount_fallback} default. */
    public static final Discounts LMPLZ_FALLBACK = new Discounts(0.5f, 1f, 1.5f);

    /** The discount of an n-gram with adjusted count {@code count} ≥ 1. */
    public float of(long count) {
        return count == 1 ? d1 : count == 2 ? d2 : d3plus;
    }

    /**
     * The discounts from count-of-counts {@code t[1..4]}, computed in float as lmplz does; null when they are
     * undefined (a t_k of zero) or out of lmplz's range 0 ≤ D_k ≤ k.
     */
    static Discounts estimate(long[] t) {
        if (t[1] == 0 || t[2] == 0 || t[3] == 0) {
            return null;
        }
        float y = (float) t[1] / (float) (t[1] + 2 * t[2]);
        float[] d = new float[4];
        for (int k = 1; k <= 3; k++) {
            d[k] = k - (k + 1) * y * (float) t[k + 1] / (float) t[k];
            if (!(d[k] >= 0f && d[k] <= k)) {
                return null;
            }
        }
        return new Discounts(d[1], d[2], d[3]);
    }
}
