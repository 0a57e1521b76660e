package dev.cria.tokenizer.bytelevel;

/**
 * Splits text into the chunks that byte-pair merging works inside; no token crosses a chunk boundary.
 *
 * <p>Works on well-formed UTF-8 (the encoder repairs input first), reporting chunks as byte ranges that tile
 * the input in order.
 */
sealed interface PreTokenizer permits Llama3PreTokenizer, RegexPreTokenizer {

    /** Receives one chunk {@code [start, end)} of the buffer passed to {@link #split}. */
    @FunctionalInterface
    interface ChunkSink {
        void chunk(int start, int end);
    }

    void split(byte[] utf8, int from, int to, ChunkSink sink);

    /** The split rule as a regular expression in HF/tiktoken syntax. */
    String pattern();
}
