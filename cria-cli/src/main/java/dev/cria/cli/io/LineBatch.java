package dev.cria.cli.io;

/**
 * Consecutive input lines sharing one byte array: line {@code i} is {@code bytes[start(i), end(i))},
 * without its {@code \n}.
 *
 * @param firstLine 1-based number of the batch's first line in the whole input
 * @param inputIdle whether no more input was ready when the batch was cut: results so far should be
 *     written and flushed now, since whoever feeds the input may be waiting for them
 */
public record LineBatch(byte[] bytes, int[] starts, int[] ends, int count, long firstLine, boolean inputIdle) {

    public int start(int i) {
        return starts[i];
    }

    public int end(int i) {
        return ends[i];
    }
}
