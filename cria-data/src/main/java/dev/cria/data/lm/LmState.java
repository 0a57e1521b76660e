package dev.cria.data.lm;

/**
 * What an n-gram model remembers of the words scored so far (KenLM's {@code State}): up to order−1 most recent
 * words, most recent first, with the log10 backoff of each context they form ({@code backoffs[j]} belongs to the
 * context of the {@code j+1} most recent words). Mutable and reused, so scoring allocates nothing.
 */
public final class LmState {
    final int[] words;
    final float[] backoffs;
    int length;
    /** Length of the longest n-gram the last {@link NgramModel#score} found (KenLM's {@code ngram_length}). */
    int ngramLength;

    LmState(int order) {
        words = new int[Math.max(1, order - 1)];
        backoffs = new float[Math.max(1, order - 1)];
    }

    /** Length of the n-gram the last score came from: 1 for a unigram, up to the model's order. */
    public int ngramLength() {
        return ngramLength;
    }

    /** Number of context words kept. */
    public int length() {
        return length;
    }

    public void copyFrom(LmState other) {
        System.arraycopy(other.words, 0, words, 0, other.length);
        System.arraycopy(other.backoffs, 0, backoffs, 0, other.length);
        length = other.length;
        ngramLength = other.ngramLength;
    }
}
