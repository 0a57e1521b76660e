package dev.cria.data.lm;

/**
 * Scores lines of text as KenLM's {@code query} does: each line is wrapped in {@code <s>} ... {@code </s>}, split on
 * ASCII whitespace (space, {@code \t}, {@code \n}, {@code \v}, {@code \f}, {@code \r}); the line total is summed in
 * float, {@code </s>} included. Corpus totals follow query's summary: double sums of the float line totals and of
 * the OOV words' own scores, and
 * <pre>
 *   perplexity               = 10^(−total / tokens)
 *   perplexity_excluding_oov = 10^(−(total − oov_total) / (tokens − oovs))
 * </pre>
 * where tokens counts every word and one {@code </s>} per line. One scorer per thread; it allocates nothing.
 */
public final class QueryScorer {
    private final NgramModel model;
    private final LmVocabulary vocab;
    private LmState state;
    private LmState next;

    private float lineTotal;
    private int lineOov;
    private int lineTokens;

    private double corpusTotal;
    private double corpusOovTotal;
    private long corpusOov;
    private long corpusTokens;

    public QueryScorer(NgramModel model) {
        this.model = model;
        this.vocab = model.vocabulary();
        this.state = model.newState();
        this.next = model.newState();
    }

    static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0B || b == '\f' || b == '\r';
    }

    /** Scores the line in {@code bytes[start, end)}; read the results with {@link #lineTotal()} and friends. */
    public void scoreLine(byte[] bytes, int start, int end) {
        model.beginSentence(state);
        float total = 0f;
        int oov = 0;
        int tokens = 0;
        int i = start;
        while (true) {
            while (i < end && isSpace(bytes[i])) {
                i++;
            }
            if (i >= end) {
                break;
            }
            int wordStart = i;
            while (i < end && !isSpace(bytes[i])) {
                i++;
            }
            // KenLM counts a literal <unk> as out of vocabulary too: both are id 0
            int id = vocab.index(bytes, wordStart, i - wordStart);
            float p = model.score(state, id, next);
            if (id == LmVocabulary.UNK) {
                oov++;
                corpusOovTotal += p;
            }
            total += p;
            tokens++;
            swap();
        }
        total += model.score(state, model.eosId(), next);
        tokens++;
        swap();
        lineTotal = total;
        lineOov = oov;
        lineTokens = tokens;
        corpusTotal += total;
        corpusOov += oov;
        corpusTokens += tokens;
    }

    private void swap() {
        LmState t = state;
        state = next;
        next = t;
    }

    /** log10 probability of the last line, {@code </s>} included, summed in float as query prints it. */
    public float lineTotal() {
        return lineTotal;
    }

    /** Out-of-vocabulary words in the last line. */
    public int lineOov() {
        return lineOov;
    }

    /** Scored tokens of the last line: its words and {@code </s>}. */
    public int lineTokens() {
        return lineTokens;
    }

    public long corpusTokens() {
        return corpusTokens;
    }

    public long corpusOov() {
        return corpusOov;
    }

    public double corpusTotal() {
        return corpusTotal;
    }

    public double perplexity() {
        return Math.pow(10.0, -(corpusTotal / corpusTokens));
    }

    public double perplexityExcludingOov() {
        return Math.pow(10.0, -((corpusTotal - corpusOovTotal) / (double) (corpusTokens - corpusOov)));
    }
}
