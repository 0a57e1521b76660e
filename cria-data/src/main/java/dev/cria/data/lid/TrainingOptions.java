package dev.cria.data.lid;

/**
 * Hyper-parameters of supervised training, named and defaulted as {@code fasttext supervised} names and defaults them.
 *
 * @param lr learning rate at the start; it decays linearly to 0 over all epochs
 * @param dim size of the word vectors
 * @param epoch passes over the training file
 * @param wordNgrams longest word n-gram used as a feature (1: words only)
 * @param minn shortest character n-gram (0 with maxn 0: none)
 * @param maxn longest character n-gram
 * @param loss {@code softmax}, hierarchical softmax {@code hs}, or one-vs-all {@code ova}
 * @param bucket number of hash buckets for character and word n-grams (forced to 0 when neither is used, as fastText
 *     does)
 * @param minCount words seen fewer times are dropped
 * @param minCountLabel labels seen fewer times are dropped
 * @param lrUpdateRate tokens between updates of the shared progress that drives the learning rate
 * @param threads Hogwild worker threads; 1 gives the same model for the same seed every time
 * @param seed seeds the initial input vectors and each thread's sampling
 */
public record TrainingOptions(double lr, int dim, int epoch, int wordNgrams, int minn, int maxn, FastTextArgs.Loss loss,
        int bucket, int minCount, int minCountLabel, int lrUpdateRate, int threads, long seed) {

    public TrainingOptions {
        if (lr <= 0 || dim <= 0 || epoch <= 0 || wordNgrams <= 0 || minn < 0 || maxn < 0 || bucket < 0
                || lrUpdateRate <= 0 || threads <= 0) {
            throw new IllegalArgumentException("lr, dim, epoch, wordNgrams, lrUpdateRate and threads must be positive"
                    + ", minn, maxn and bucket not negative: " + this);
        }
        if (maxn > 0 && minn > maxn) {
            throw new IllegalArgumentException("minn " + minn + " exceeds maxn " + maxn);
        }
        if (loss == FastTextArgs.Loss.NS) {
            throw new IllegalArgumentException("loss ns is for word vectors; use softmax, hs or ova to classify");
        }
    }

    /** {@code fasttext supervised}'s defaults (lr 0.1, dim 100, epoch 5, softmax, bucket 2,000,000, ...), 1 thread. */
    public static TrainingOptions defaults() {
        return new TrainingOptions(0.1, 100, 5, 1, 0, 0, FastTextArgs.Loss.SOFTMAX, 2_000_000, 1, 0, 100, 1, 0);
    }

    /** The bucket count the model records: 0 when there are neither character nor word n-grams. */
    int effectiveBucket() {
        return wordNgrams <= 1 && maxn == 0 ? 0 : bucket;
    }

    public TrainingOptions withLr(double v) {
        return new TrainingOptions(v, dim, epoch, wordNgrams, minn, maxn, loss, bucket, minCount, minCountLabel,
                lrUpdateRate, threads, seed);
    }

    public TrainingOptions withDim(int v) {
        return new TrainingOptions(lr, v, epoch, wordNgrams, minn, maxn, loss, bucket, minCount, minCountLabel,
                lrUpdateRate, threads, seed);
    }

    public TrainingOptions withEpoch(int v) {
        return new TrainingOptions(lr, dim, v, wordNgrams, minn, maxn, loss, bucket, minCount, minCountLabel,
                lrUpdateRate, threads, seed);
    }

    public TrainingOptions withWordNgrams(int v) {
        return new TrainingOptions(lr, dim, epoch, v, minn, maxn, loss, bucket, minCount, minCountLabel,
                lrUpdateRate, threads, seed);
    }

    public TrainingOptions withCharNgrams(int newMinn, int newMaxn) {
        return new TrainingOptions(lr, dim, epoch, wordNgrams, newMinn, newMaxn, loss, bucket, minCount,
                minCountLabel, lrUpdateRate, threads, seed);
    }

    public TrainingOptions withLoss(FastTextArgs.Loss v) {
        return new TrainingOptions(lr, dim, epoch, wordNgrams, minn, maxn, v, bucket, minCount, minCountLabel,
                lrUpdateRate, threads, seed);
    }

    public TrainingOptions withBucket(int v) {
        return new TrainingOptions(lr, dim, epoch, wordNgrams, minn, maxn, loss, v, minCount, minCountLabel,
                lrUpdateRate, threads, seed);
    }

    public TrainingOptions withMinCount(int v) {
        return new TrainingOptions(lr, dim, epoch, wordNgrams, minn, maxn, loss, bucket, v, minCountLabel,
                lrUpdateRate, threads, seed);
    }

    public TrainingOptions withThreads(int v) {
        return new TrainingOptions(lr, dim, epoch, wordNgrams, minn, maxn, loss, bucket, minCount, minCountLabel,
                lrUpdateRate, v, seed);
    }

    public TrainingOptions withSeed(long v) {
        return new TrainingOptions(lr, dim, epoch, wordNgrams, minn, maxn, loss, bucket, minCount, minCountLabel,
                lrUpdateRate, threads, v);
    }
}
