package dev.cria.cli.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts a byte stream into {@link LineBatch}es of whole lines, the way {@code std::getline} (and so
 * {@code spm_encode}) sees lines: split on {@code \n} only, a {@code \r} stays in the line, a last line
 * without {@code \n} still counts, and the bytes are never decoded.
 *
 * <p>A batch ends at the last complete line once about {@code targetBytes} are read, or as soon as the
 * input has complete lines and nothing more ready, so a process feeding lines one at a time and waiting
 * for each answer is answered at once. A line longer than the target grows the buffer to fit it.
 */
public final class LineBatchReader {

    private final InputStream in;
    private final int targetBytes;
    private byte[] carry = new byte[0];
    private int carryLength;
    private long nextLine = 1;
    private boolean eof;

    public LineBatchReader(InputStream in, int targetBytes) {
        if (targetBytes < 1) {
            throw new IllegalArgumentException("targetBytes must be positive, was " + targetBytes);
        }
        this.in = in;
        this.targetBytes = targetBytes;
    }

    /** The next batch, or null at the end of the input. */
    public LineBatch next() throws IOException {
        if (eof) {
            return null;
        }
        byte[] buffer = new byte[Math.max(targetBytes, carryLength * 2)];
        System.arraycopy(carry, 0, buffer, 0, carryLength);
        int length = carryLength;
        int lastNewline = -1; // the carried bytes hold no newline
        boolean idle = false;
        while (true) {
            if (lastNewline >= 0 && (idle || length == buffer.length)) {
                break;
            }
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, grow(buffer.length));
            }
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                eof = true;
                break;
            }
            for (int i = length + n - 1; i >= length; i--) {
                if (buffer[i] == '\n') {
                    lastNewline = i;
                    break;
                }
            }
            length += n;
            idle = available() == 0;
        }
        int end = eof ? length : lastNewline + 1;
        carryLength = length - end;
        carry = Arrays.copyOfRange(buffer, end, length);
        if (end == 0) {
            return null;
        }
        return split(buffer, end, idle || eof);
    }

    private LineBatch split(byte[] buffer, int end, boolean idle) {
        int lines = 0;
        for (int i = 0; i < end; i++) {
            if (buffer[i] == '\n') {
                lines++;
            }
        }
        boolean unterminatedLast = buffer[end - 1] != '\n';
        int count = lines + (unterminatedLast ? 1 : 0);
        int[] starts = new int[count];
        int[] ends = new int[count];
        int line = 0;
        int start = 0;
        for (int i = 0; i < end; i++) {
            if (buffer[i] == '\n') {
                starts[line] = start;
                ends[line] = i;
                line++;
                start = i + 1;
            }
        }
        if (unterminatedLast) {
            starts[line] = start;
            ends[line] = end;
        }
        LineBatch batch = new LineBatch(buffer, starts, ends, count, nextLine, idle);
        nextLine += count;
        return batch;
    }

    private int available() {
        try {
            return in.available();
        } catch (IOException e) {
            // Some streams cannot tell; treat them as idle so no answer waits on input that may never come.
            return 0;
        }
    }

    private static int grow(int length) {
        if (length >= Integer.MAX_VALUE - 16) {
            throw new OutOfMemoryError("an input line longer than 2 GiB");
        }
        return (int) Math.min((long) length * 2, Integer.MAX_VALUE - 16);
    }
}
