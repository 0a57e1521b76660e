package dev.cria.model;

/**
 * What one sequence being decoded owns: its position, its key/value cache (sized to its context) and the buffers of
 * the forward pass, all allocated when it is created so that decoding a token allocates nothing. Create it with
 * {@link Transformer#newState}; use it from one thread at a time.
 *
 * <p>Memory: the cache holds {@code 2 · layers · contextLength · kvDim} floats ({@link #cacheBytes()}).
 */
public final class SequenceState {
    final Transformer owner;
    final int contextLength;
    final int maxBatch;
    /** {@code [layer][position · kvDim + column]}. */
    final float[][] keys;
    final float[][] values;
    /** Attention weights, one row of {@code contextLength} per query head. */
    final float[] scores;
    final float[] logits;
    final DecodeStep decode;
    PrefillStep prefill;
    int position;

    SequenceState(Transformer owner, int contextLength, int maxBatch) {
        LlamaConfig c = owner.config();
        if (contextLength < 1) {
            throw new IllegalArgumentException("context length must be positive, got " + contextLength);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + maxBatch);
        }
        long cacheFloats = (long) contextLength * c.kvDim();
        if (cacheFloats > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("context " + contextLength + " × kv width " + c.kvDim() + " is too large for one layer's cache");
        }
        this.owner = owner;
        this.contextLength = contextLength;
        this.maxBatch = Math.min(maxBatch, contextLength);
        this.keys = new float[c.layers()][(int) cacheFloats];
        this.values = new float[c.layers()][(int) cacheFloats];
        this.scores = new float[Math.multiplyExact(c.heads(), contextLength)];
        this.logits = new float[c.vocabSize()];
        this.decode = new DecodeStep(owner, this);
    }

    /** How many tokens the cache holds: the position the next token will take. */
    public int position() {
        return position;
    }

    public int contextLength() {
        return contextLength;
    }

    /** Positions left before the context is full. */
    public int remaining() {
        return contextLength - position;
    }

    /** The largest number of tokens one prefill batch processes at a time (longer prompts go in several batches). */
    public int maxBatch() {
        return maxBatch;
    }

    /**
     * The logits after the last token fed (by {@link Transformer#decode} or a prefill), {@code vocabSize} values.
     * The array is this state's buffer: the next forward pass overwrites it.
     */
    public float[] logits() {
        return logits;
    }

    /**
     * Forgets every token from {@code newPosition} on, so that the next token is fed at {@code newPosition}: the
     * cached keys and values of the earlier tokens stay valid (a shared prefix need not be recomputed).
     */
    public void rewind(int newPosition) {
        if (newPosition < 0 || newPosition > position) {
            throw new IllegalArgumentException("cannot rewind to " + newPosition + ": the sequence holds " + position + " tokens");
        }
        position = newPosition;
    }

    /** Empties the sequence. */
    public void reset() {
        position = 0;
    }

    /** Bytes of the key/value cache. */
    public long cacheBytes() {
        return 2L * keys.length * keys[0].length * Float.BYTES;
    }
}
