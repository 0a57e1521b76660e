package dev.cria.train.data;

import java.util.List;

/**
 * Training windows of {@code seqLen + 1} tokens drawn uniformly, with replacement, from every start position of the
 * training spans: the inputs are the first {@code seqLen} tokens, the targets the last {@code seqLen}.
 *
 * <p>Window number {@code i} of a run depends only on the seed and {@code i} (its start is a SplitMix64 hash of
 * both), so the loader's whole state is how many windows it has handed out: a resumed run draws exactly the windows
 * the uninterrupted run would have, and splitting a batch into micro-batches does not change which windows it holds.
 */
public final class WindowSampler {

    private final List<TokenSpan> spans;
    private final int seqLen;
    private final long seed;
    /** cumulative[i] = window starts in spans [0, i). */
    private final long[] cumulative;

    public WindowSampler(List<TokenSpan> spans, int seqLen, long seed) {
        this.spans = List.copyOf(spans);
        this.seqLen = seqLen;
        this.seed = seed;
        this.cumulative = new long[spans.size() + 1];
        for (int i = 0; i < spans.size(); i++) {
            cumulative[i + 1] = cumulative[i] + spans.get(i).windowStarts(seqLen + 1);
        }
        if (cumulative[spans.size()] == 0) {
            throw new IllegalArgumentException("no window of " + (seqLen + 1) + " tokens fits the training data");
        }
    }

    public int seqLen() {
        return seqLen;
    }

    /** Distinct window positions. */
    public long positions() {
        return cumulative[cumulative.length - 1];
    }

    /**
     * Writes window {@code index} into row {@code row} of {@code inputs} and {@code targets} (each
     * {@code rows × seqLen}, row-major).
     */
    public void window(long index, int[] inputs, int[] targets, int row) {
        long draw = Long.remainderUnsigned(splitMix64(seed + index * 0x9E3779B97F4A7C15L), positions());
        int span = spanOf(draw);
        TokenSpan s = spans.get(span);
        long start = s.start() + (draw - cumulative[span]);
        int at = row * seqLen;
        s.shard().read(start, inputs, at, seqLen);
        s.shard().read(start + 1, targets, at, seqLen);
    }

    private int spanOf(long draw) {
        int lo = 0;
        int hi = spans.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (cumulative[mid] <= draw) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Steele, Lea and Flood's SplitMix64 finalizer (the mixing step of {@link java.util.SplittableRandom}). */
    static long splitMix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
