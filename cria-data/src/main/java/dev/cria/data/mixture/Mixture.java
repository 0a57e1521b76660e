package dev.cria.data.mixture;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The share of training tokens each source contributes (LLaMA Table 1, DATA-RULES §1 and §10), and what that means
 * for a corpus at hand: given each source's unique tokens and a token budget, a source's target is its share of the
 * budget and its epochs are target / unique tokens — above 1 the source is repeated, below 1 subsampled.
 *
 * @param proportions share per source name; they need not sum to 1 (they are normalized)
 */
public record Mixture(Map<String, Double> proportions) {

    /** LLaMA's Table 1. */
    public static Mixture llama() {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("commoncrawl", 0.670);
        p.put("c4", 0.150);
        p.put("github", 0.045);
        p.put("wikipedia", 0.045);
        p.put("books", 0.045);
        p.put("arxiv", 0.025);
        p.put("stackexchange", 0.020);
        return new Mixture(p);
    }

    public Mixture {
        proportions = Map.copyOf(new LinkedHashMap<>(proportions));
        for (var e : proportions.entrySet()) {
            if (!(e.getValue() >= 0)) {
                throw new IllegalArgumentException("mixture proportion of " + e.getKey() + " must be >= 0, got " + e.getValue());
            }
        }
    }

    /** One source's part of a plan. */
    public record SourcePlan(String source, double proportion, long uniqueTokens, long targetTokens, double epochs) {
    }

    /**
     * Plans a budget over the sources present. Sources in the corpus but not in the mixture get no tokens; sources in
     * the mixture but absent from the corpus are left out and the others' shares renormalized.
     *
     * @param uniqueTokens tokens per source in the cleaned corpus
     * @param budgetTokens tokens to produce in total (positive)
     */
    public Map<String, SourcePlan> plan(Map<String, Long> uniqueTokens, long budgetTokens) {
        if (budgetTokens <= 0) {
            throw new IllegalArgumentException("token budget must be positive, got " + budgetTokens);
        }
        double total = 0;
        for (String s : uniqueTokens.keySet()) {
            if (uniqueTokens.get(s) > 0) {
                total += proportions.getOrDefault(s, 0.0);
            }
        }
        if (total == 0) {
            throw new IllegalArgumentException("no source of the corpus " + uniqueTokens.keySet() + " is in the mixture "
                    + proportions.keySet());
        }
        Map<String, SourcePlan> plan = new LinkedHashMap<>();
        for (var e : uniqueTokens.entrySet()) {
            double share = e.getValue() > 0 ? proportions.getOrDefault(e.getKey(), 0.0) / total : 0;
            long target = Math.round(share * budgetTokens);
            double epochs = e.getValue() == 0 ? 0 : (double) target / e.getValue();
            plan.put(e.getKey(), new SourcePlan(e.getKey(), share, e.getValue(), target, epochs));
        }
        return plan;
    }

    /**
     * How many times a document goes into the mixture: {@code floor(epochs)} copies, plus one more with probability
     * {@code epochs - floor(epochs)}, decided by a hash of the seed and the document id so the choice is the same on
     * every run and every engine.
     */
    public static int copies(double epochs, long seed, String source, String documentId) {
        int whole = (int) Math.floor(epochs);
        double fraction = epochs - whole;
        if (fraction <= 0) {
            return whole;
        }
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (int i = 0; i < source.length(); i++) {
            h = (h ^ source.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ 0) * 0x100000001b3L;
        for (int i = 0; i < documentId.length(); i++) {
            h = (h ^ documentId.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        double u = (h >>> 11) * 0x1.0p-53;
        return u < fraction ? whole + 1 : whole;
    }
}
