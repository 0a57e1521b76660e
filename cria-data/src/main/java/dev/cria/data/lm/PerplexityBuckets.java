package dev.cria.data.lm;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * CCNet's {@code PerplexityBucket}: {@code head} if perplexity &lt; the head percentile's cutoff, {@code middle} if
 * &lt; the tail percentile's, else {@code tail}; {@code all} when the language has no cutoffs or the document has no
 * perplexity. CCNet's code defaults are percentiles 30 and 60 (not the paper's thirds).
 */
public final class PerplexityBuckets implements Serializable {
    public static final int DEFAULT_HEAD_PERCENTILE = 30;
    public static final int DEFAULT_TAIL_PERCENTILE = 60;

    private final Map<String, double[]> headTail = new HashMap<>();

    public PerplexityBuckets(PerplexityCutoffs cutoffs) {
        this(cutoffs, DEFAULT_HEAD_PERCENTILE, DEFAULT_TAIL_PERCENTILE);
    }

    public PerplexityBuckets(PerplexityCutoffs cutoffs, int headPercentile, int tailPercentile) {
        for (int p : new int[] {headPercentile, tailPercentile}) {
            if (!cutoffs.hasPercentile(p)) {
                throw new IllegalArgumentException("the cutoff table has no row for percentile " + p);
            }
        }
        for (String language : cutoffs.languages()) {
            headTail.put(language, new double[] {cutoffs.value(language, headPercentile), cutoffs.value(language, tailPercentile)});
        }
    }

    /** The bucket of a document; {@code perplexity} NaN or negative means it has none. */
    public String bucket(String language, double perplexity) {
        double[] cut = language == null ? null : headTail.get(language);
        if (cut == null || Double.isNaN(perplexity) || perplexity < 0) {
            return "all";
        }
        if (perplexity < cut[0]) {
            return "head";
        }
        if (perplexity < cut[1]) {
            return "middle";
        }
        return "tail";
    }
}
