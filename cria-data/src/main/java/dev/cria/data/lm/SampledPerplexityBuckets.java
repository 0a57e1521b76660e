package dev.cria.data.lm;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Perplexity buckets when no cutoff CSV is given: the first pass samples each language's document perplexities,
 * the second buckets with percentiles of that sample ({@link PerplexityCutoffs#fromSample}). The sample keeps, per
 * language, the documents with the smallest 64-bit hashes of their ids (bottom-k), so it does not depend on shard
 * order or thread timing and merges exactly.
 */
public final class SampledPerplexityBuckets implements GlobalStage<SampledPerplexityBuckets.Sample> {
    private static final long serialVersionUID = 1L;

    /** Documents kept per language by default: percentiles of 100,000 values are within about ±0.3 points. */
    public static final int DEFAULT_SAMPLE_SIZE = 100_000;

    private final int sampleSize;
    private final int headPercentile;
    private final int tailPercentile;

    public SampledPerplexityBuckets(int sampleSize, int headPercentile, int tailPercentile) {
        if (sampleSize < 1) {
            throw new IllegalArgumentException("sample size must be positive, was " + sampleSize);
        }
        this.sampleSize = sampleSize;
        this.headPercentile = headPercentile;
        this.tailPercentile = tailPercentile;
    }

    public SampledPerplexityBuckets() {
        this(DEFAULT_SAMPLE_SIZE, PerplexityBuckets.DEFAULT_HEAD_PERCENTILE, PerplexityBuckets.DEFAULT_TAIL_PERCENTILE);
    }

    /** Per language: (id hash, perplexity) pairs, at most {@code limit} after each compaction. */
    public static final class Sample implements Serializable {
        private static final long serialVersionUID = 1L;
        final int limit;
        final TreeMap<String, Reservoir> languages = new TreeMap<>();

        Sample(int limit) {
            this.limit = limit;
        }

        void add(String language, long hash, double perplexity) {
            languages.computeIfAbsent(language, l -> new Reservoir()).add(hash, perplexity, limit);
        }

        /** The kept perplexities of every language. */
        public Map<String, double[]> perplexities() {
            Map<String, double[]> out = new LinkedHashMap<>();
            languages.forEach((l, r) -> {
                r.compact(limit);
                out.put(l, Arrays.copyOf(r.values, r.size));
            });
            return out;
        }
    }

    static final class Reservoir implements Serializable {
        private static final long serialVersionUID = 1L;
        long[] hashes = new long[16];
        double[] values = new double[16];
        int size;

        void add(long hash, double value, int limit) {
            if (size == hashes.length) {
                if (size >= 2 * limit) {
                    compact(limit);
                }
                if (size == hashes.length) {
                    hashes = Arrays.copyOf(hashes, size * 2);
                    values = Arrays.copyOf(values, size * 2);
                }
            }
            hashes[size] = hash;
            values[size++] = value;
        }

        /** Keeps the {@code limit} entries of smallest (hash, value). */
        void compact(int limit) {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> hashes[a] != hashes[b] ? Long.compare(hashes[a], hashes[b]) : Double.compare(values[a], values[b]));
            int keep = Math.min(limit, size);
            long[] h = new long[Math.max(16, keep * 2)];
            double[] v = new double[h.length];
            for (int i = 0; i < keep; i++) {
                h[i] = hashes[order[i]];
                v[i] = values[order[i]];
            }
            hashes = h;
            values = v;
            size = keep;
        }
    }

    @Override
    public String name() {
        return "perplexity_bucket";
    }

    @Override
    public Sample emptySummary() {
        return new Sample(sampleSize);
    }

    @Override
    public Sample observe(Sample summary, Document document) {
        Object language = document.meta().get("language");
        Object perplexity = document.meta().get("perplexity");
        if (language != null && perplexity instanceof Number n && n.doubleValue() >= 0) {
            byte[] id = document.id().getBytes(StandardCharsets.UTF_8);
            summary.add(language.toString(), LmVocabulary.hash(id, 0, id.length), n.doubleValue());
        }
        return summary;
    }

    @Override
    public Sample merge(Sample earlier, Sample later) {
        later.languages.forEach((language, r) -> {
            for (int i = 0; i < r.size; i++) {
                earlier.add(language, r.hashes[i], r.values[i]);
            }
        });
        return earlier;
    }

    @Override
    public DocumentStage decide(Sample summary) {
        return new PerplexityBucketStage(PerplexityCutoffs.fromSample(summary.perplexities()), headPercentile, tailPercentile);
    }
}
