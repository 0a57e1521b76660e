package dev.cria.tokenizer.train;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Training text as raw byte lines, split on {@code \n} only (a {@code \r} stays in the line, as spm_train reads).
 * Sources can be read more than once.
 */
public interface LineSource {

    /**
     * Receives lines; {@code line[0, length)} is only valid during the call. A line longer than the reader's cap
     * arrives as {@code line == null} (its bytes were not kept), so a huge line never fills the heap.
     */
    @FunctionalInterface
    interface LineConsumer {
        void accept(byte[] line, int length) throws IOException;
    }

    /** Reads every line; lines longer than {@code maxLineBytes} arrive as null. */
    void forEachLine(int maxLineBytes, LineConsumer consumer) throws IOException;

    /** A short description for logs and errors. */
    String describe();

    /** Total bytes, when known (for progress), else -1. */
    default long sizeHint() {
        return -1;
    }

    /** Text files, read in order; names ending in .gz are gunzipped. */
    static LineSource files(List<Path> files) {
        return new LineSource() {
            @Override
            public void forEachLine(int maxLineBytes, LineConsumer consumer) throws IOException {
                for (Path f : files) {
                    try (InputStream raw = Files.newInputStream(f);
                         InputStream in = f.getFileName().toString().endsWith(".gz")
                                 ? new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16)
                                 : new BufferedInputStream(raw, 1 << 16)) {
                        readLines(in, maxLineBytes, consumer);
                    }
                }
            }

            @Override
            public String describe() {
                return files.size() == 1 ? files.getFirst().toString() : files.size() + " files";
            }

            @Override
            public long sizeHint() {
                long total = 0;
                for (Path f : files) {
                    try {
                        total += Files.size(f);
                    } catch (IOException e) {
                        return -1;
                    }
                }
                return total;
            }
        };
    }

    /** In-memory lines (tests, the embedded corpus). */
    static LineSource of(String description, List<String> lines) {
        return new LineSource() {
            @Override
            public void forEachLine(int maxLineBytes, LineConsumer consumer) throws IOException {
                for (String l : lines) {
                    byte[] b = l.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    consumer.accept(b.length > maxLineBytes ? null : b, b.length);
                }
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    /** Splits a stream on '\n'; the last line needs no terminator; an empty stream has no lines. */
    static void readLines(InputStream in, int maxLineBytes, LineConsumer consumer) throws IOException {
        byte[] buf = new byte[1 << 16];
        byte[] line = new byte[256];
        int len = 0;
        boolean tooLong = false;
        boolean pending = false;
        int n;
        while ((n = in.read(buf)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    len = append(line = grow(line, len, i - start, maxLineBytes), len, buf, start, i - start, maxLineBytes);
                    tooLong |= len > maxLineBytes;
                    consumer.accept(tooLong ? null : line, Math.min(len, Integer.MAX_VALUE));
                    len = 0;
                    tooLong = false;
                    start = i + 1;
                    pending = false;
                }
            }
            if (n > start) {
                line = grow(line, len, n - start, maxLineBytes);
                len = append(line, len, buf, start, n - start, maxLineBytes);
                tooLong |= len > maxLineBytes;
                pending = true;
            }
        }
        if (pending) {
            consumer.accept(tooLong ? null : line, len);
        }
    }

    private static byte[] grow(byte[] line, int len, int extra, int maxLineBytes) {
        int want = (int) Math.min((long) len + extra, (long) maxLineBytes + 1);
        return want > line.length ? Arrays.copyOf(line, Math.max(want, Math.min(line.length * 2, maxLineBytes + 1))) : line;
    }

    /** Appends what still fits under the cap; returns the new length, which exceeds the cap once the line is too long. */
    private static int append(byte[] line, int len, byte[] src, int off, int count, int maxLineBytes) {
        int room = Math.max(0, Math.min(count, maxLineBytes + 1 - len));
        System.arraycopy(src, off, line, len, room);
        return len > maxLineBytes ? len : len + room;
    }
}
