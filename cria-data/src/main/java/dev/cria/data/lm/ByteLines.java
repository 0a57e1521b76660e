package dev.cria.data.lm;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Lines of a byte stream, split on {@code \n} only, handed out in place: {@link #buffer()} between {@link #start()}
 * and {@link #end()} (the {@code \n} excluded) until the next call of {@link #next()}. A last line without a final
 * {@code \n} is still a line. Nothing is decoded and nothing is allocated per line.
 */
public final class ByteLines {
    private final InputStream in;
    private byte[] buf;
    private int pos;
    private int limit;
    private int start;
    private int end;
    private long lineNumber;
    private boolean eof;

    public ByteLines(InputStream in) {
        this(in, 1 << 20);
    }

    ByteLines(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[Math.max(16, bufferSize)];
    }

    /** Moves to the next line; false at the end of the stream. */
    public boolean next() throws IOException {
        while (true) {
            int nl = indexOfNewline(pos, limit);
            if (nl >= 0) {
                start = pos;
                end = nl;
                pos = nl + 1;
                lineNumber++;
                return true;
            }
            if (eof) {
                if (pos < limit) {
                    start = pos;
                    end = limit;
                    pos = limit;
                    lineNumber++;
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    private int indexOfNewline(int from, int to) {
        byte[] b = buf;
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    public byte[] buffer() {
        return buf;
    }

    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    /** 1-based number of the current line. */
    public long lineNumber() {
        return lineNumber;
    }
}
