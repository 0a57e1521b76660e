package dev.cria.data.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads lines as bytes, keeping the offset where each line starts. The line's bytes live in a buffer reused for the
 * next line, so reading a file allocates only when a line is longer than any before it.
 */
final class LineInput {
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private long bufStart;
    private byte[] line = new byte[1 << 12];
    private int lineLength;
    private long lineStart;
    private long lineNumber;

    LineInput(InputStream in) {
        this(in, 0);
    }

    /** @param offset the file offset of the stream's first byte, so that {@link #lineStart} is a file offset */
    LineInput(InputStream in, long offset) {
        this.in = in;
        this.bufStart = offset;
    }

    /** Reads the next line without its {@code \n}; false at end of input. */
    boolean next() throws IOException {
        lineLength = 0;
        lineStart = bufStart + pos;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                bufStart += limit;
                pos = 0;
                limit = 0;
                int n = in.read(buf, 0, buf.length);
                if (n <= 0) {
                    if (any) {
                        lineNumber++;
                    }
                    return any;
                }
                limit = n;
            }
            any = true;
            int start = pos;
            int end = start;
            while (end < limit && buf[end] != '\n') {
                end++;
            }
            append(start, end - start);
            if (end < limit) {
                pos = end + 1;
                lineNumber++;
                return true;
            }
            pos = limit;
        }
    }

    private void append(int from, int n) {
        if (lineLength + n > line.length) {
            byte[] bigger = new byte[Math.max(line.length * 2, lineLength + n)];
            System.arraycopy(line, 0, bigger, 0, lineLength);
            line = bigger;
        }
        System.arraycopy(buf, from, line, lineLength, n);
        lineLength += n;
    }

    byte[] bytes() {
        return line;
    }

    int length() {
        return lineLength;
    }

    /** Byte offset (in the decompressed stream) where the current line starts. */
    long lineStart() {
        return lineStart;
    }

    /** 1-based number of the current line. */
    long lineNumber() {
        return lineNumber;
    }

    /** The line without leading and trailing whitespace (ASCII whitespace, as Python's strip sees in WET headers). */
    String stripped() {
        int a = 0;
        int b = lineLength;
        while (a < b && isSpace(line[a])) {
            a++;
        }
        while (b > a && isSpace(line[b - 1])) {
            b--;
        }
        return new String(line, a, b - a, StandardCharsets.UTF_8);
    }

    /** The line as decoded text, only a trailing {@code \r} removed. */
    String text() {
        int b = lineLength;
        if (b > 0 && line[b - 1] == '\r') {
            b--;
        }
        return new String(line, 0, b, StandardCharsets.UTF_8);
    }

    /** True when the stripped line equals {@code s} (ASCII), without decoding it. */
    boolean strippedEquals(String s) {
        int a = 0;
        int b = lineLength;
        while (a < b && isSpace(line[a])) {
            a++;
        }
        while (b > a && isSpace(line[b - 1])) {
            b--;
        }
        if (b - a != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (line[a + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    boolean isBlank() {
        for (int i = 0; i < lineLength; i++) {
            if (!isSpace(line[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0x0b || b == 0x0c;
    }
}
