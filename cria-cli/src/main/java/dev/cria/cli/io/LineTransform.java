package dev.cria.cli.io;

/** Maps one input line to its output line; called from several threads at once, so it must be thread-safe. */
@FunctionalInterface
public interface LineTransform {

    /**
     * Appends the output for {@code bytes[start, end)} (the line without its {@code \n}) to {@code out},
     * its terminating newline included.
     *
     * @param lineNumber 1-based number of the line in the whole input, for error messages
     */
    void apply(byte[] bytes, int start, int end, long lineNumber, OutputBuffer out);
}
