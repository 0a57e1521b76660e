package dev.cria.data.stage.basic;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.StageContext;
import java.nio.charset.StandardCharsets;

/**
 * Keeps a fraction of the documents, chosen by a hash of the recipe's seed and the document id rather than by a
 * random stream: the same document is kept on every run, whatever the thread count or shard order. Drop reason:
 * {@code not_sampled}.
 */
public final class Sample implements DocumentStage {
    private final double fraction;
    private long seed;

    public Sample(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in [0, 1], got " + fraction);
        }
        this.fraction = fraction;
    }

    @Override
    public String name() {
        return "sample";
    }

    @Override
    public void open(StageContext context) {
        seed = context.seed();
    }

    @Override
    public Outcome apply(Document document) {
        // FNV-1a over the id's UTF-8, then SplitMix64's finalizer: a uniform 53-bit fraction per (seed, id).
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : document.id().getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        h ^= h >>> 31;
        double u = (h >>> 11) * 0x1.0p-53;
        return u < fraction ? Outcome.keep(document) : Outcome.drop("not_sampled");
    }
}
