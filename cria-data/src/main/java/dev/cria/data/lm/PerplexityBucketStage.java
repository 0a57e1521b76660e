package dev.cria.data.lm;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.StageContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * CCNet's {@code pp_bucket} step: meta {@code bucket} = head, middle, tail or all ({@link PerplexityBuckets}) from
 * meta {@code language} and {@code perplexity}, with cutoffs from a cutoff CSV (read in {@link #open}) or given
 * directly (as {@link SampledPerplexityBuckets} computes them). Drops nothing.
 */
public final class PerplexityBucketStage implements DocumentStage {
    private static final long serialVersionUID = 1L;

    private final String cutoffCsv;
    private final PerplexityCutoffs cutoffs;
    private final int headPercentile;
    private final int tailPercentile;
    private transient volatile PerplexityBuckets buckets;

    /** Cutoffs from a CCNet-style cutoff CSV, resolved against the recipe folder when relative. */
    public PerplexityBucketStage(String cutoffCsv, int headPercentile, int tailPercentile) {
        this.cutoffCsv = cutoffCsv;
        this.cutoffs = null;
        this.headPercentile = headPercentile;
        this.tailPercentile = tailPercentile;
    }

    public PerplexityBucketStage(PerplexityCutoffs cutoffs, int headPercentile, int tailPercentile) {
        this.cutoffCsv = null;
        this.cutoffs = cutoffs;
        this.headPercentile = headPercentile;
        this.tailPercentile = tailPercentile;
    }

    @Override
    public String name() {
        return "perplexity_bucket";
    }

    @Override
    public synchronized void open(StageContext context) {
        if (buckets != null) {
            return;
        }
        PerplexityCutoffs table = cutoffs;
        if (table == null) {
            Path dir = context == null || context.recipeDir() == null ? Path.of("") : context.recipeDir();
            try {
                table = PerplexityCutoffs.read(dir.resolve(cutoffCsv));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        buckets = new PerplexityBuckets(table, headPercentile, tailPercentile);
    }

    @Override
    public Outcome apply(Document document) {
        PerplexityBuckets b = buckets;
        if (b == null) {
            throw new IllegalStateException("stage " + name() + " used before open()");
        }
        Object language = document.meta().get("language");
        Object perplexity = document.meta().get("perplexity");
        double pp = perplexity instanceof Number n ? n.doubleValue() : Double.NaN;
        return Outcome.keep(document.withMeta("bucket", b.bucket(language == null ? null : language.toString(), pp)));
    }
}
