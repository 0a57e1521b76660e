package dev.cria.data.europarl;

/**
 * A line of a Europarl file that is not {@code title<TAB>date<TAB>body} in UTF-8.
 *
 * <p>The reader stops at the first such line rather than skipping it: the embedded corpus has none, so
 * one means a wrong or damaged file, and a silently shorter corpus would change every result built on it.
 */
public final class EuroparlFormatException extends RuntimeException {

    private final String source;
    private final int lineNumber;
    private final long byteOffset;

    EuroparlFormatException(String source, int lineNumber, long byteOffset, String problem) {
        super(source + ": line " + lineNumber + " (byte offset " + byteOffset + "): " + problem);
        this.source = source;
        this.lineNumber = lineNumber;
        this.byteOffset = byteOffset;
    }

    /** The file or classpath resource that was read. */
    public String source() {
        return source;
    }

    /** 1-based number of the bad line. */
    public int lineNumber() {
        return lineNumber;
    }

    /** Offset of the bad line's first byte in the uncompressed text. */
    public long byteOffset() {
        return byteOffset;
    }
}
