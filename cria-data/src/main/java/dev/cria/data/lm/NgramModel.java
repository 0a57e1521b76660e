package dev.cria.data.lm;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A back-off n-gram language model as an ARPA file defines it, scored as KenLM scores it: the log10 probability
 * of the longest n-gram (context + word) the model holds, plus the log10 backoffs of every longer context that the
 * model holds but could not continue with this word; an out-of-vocabulary word is {@code <unk>}.
 *
 * <p>Unigrams live in arrays indexed by word id; each higher order in its own {@link NgramTable}. Immutable once
 * loaded and safe to share between threads; the per-caller state is an {@link LmState}.
 */
public final class NgramModel {
    private final int order;
    private final LmVocabulary vocabulary;
    private final float[] unigramProb;
    private final float[] unigramBackoff;
    /** {@code tables[n]} holds the n-grams of order n, for n ≥ 2. */
    private final NgramTable[] tables;
    private final long[] counts;
    private final int bos;
    private final int eos;

    NgramModel(int order, LmVocabulary vocabulary, float[] unigramProb, float[] unigramBackoff, NgramTable[] tables,
            long[] counts, int bos, int eos) {
        this.order = order;
        this.vocabulary = vocabulary;
        this.unigramProb = unigramProb;
        this.unigramBackoff = unigramBackoff;
        this.tables = tables;
        this.counts = counts;
        this.bos = bos;
        this.eos = eos;
    }

    /** Reads an ARPA file (plain, or gzip when the name ends in {@code .gz}). */
    public static NgramModel readArpa(Path file) throws IOException {
        return ArpaReader.read(file);
    }

    public int order() {
        return order;
    }

    public LmVocabulary vocabulary() {
        return vocabulary;
    }

    /** Number of n-grams of order {@code n} (1-based), as the ARPA header counts them. */
    public long count(int n) {
        return counts[n];
    }

    public int bosId() {
        return bos;
    }

    public int eosId() {
        return eos;
    }

    public LmState newState() {
        return new LmState(order);
    }

    /** The context at the start of a sentence: {@code <s>} (KenLM's {@code BeginSentenceWrite}). */
    public void beginSentence(LmState state) {
        state.words[0] = bos;
        state.backoffs[0] = unigramBackoff[bos];
        state.length = order > 1 ? 1 : 0;
        state.ngramLength = 0;
    }

    /** No context at all (KenLM's {@code NullContextWrite}). */
    public void nullContext(LmState state) {
        state.length = 0;
        state.ngramLength = 0;
    }

    /**
     * log10 p({@code word} | {@code in}); writes the context for the next word to {@code out} (which must not be
     * {@code in}). The sum runs in float in KenLM's order: the found n-gram's probability, then the backoffs of the
     * unused contexts from shortest to longest.
     */
    public float score(LmState in, int word, LmState out) {
        long key = NgramHash.word(word);
        float prob = unigramProb[word];
        int found = 1;
        out.words[0] = word;
        out.backoffs[0] = unigramBackoff[word];
        int keep = order - 1;
        int context = in.length;
        for (int j = 0; j < context; j++) {
            key = NgramHash.extendLeft(key, in.words[j]);
            long v = tables[j + 2].get(key);
            if (v == NgramTable.MISSING) {
                break;
            }
            prob = NgramTable.prob(v);
            found = j + 2;
            if (j + 1 < keep) {
                out.words[j + 1] = in.words[j];
                out.backoffs[j + 1] = NgramTable.backoff(v);
            }
        }
        for (int j = found - 1; j < context; j++) {
            prob += in.backoffs[j];
        }
        out.length = Math.min(found, keep);
        out.ngramLength = found;
        return prob;
    }

    /** log10 probability of the unigram {@code word} as the ARPA file gives it. */
    public float unigramLogProb(int word) {
        return unigramProb[word];
    }
}
