package dev.cria.data.read;

import dev.cria.data.Document;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Turns one input file into documents, one at a time (memory stays bounded by the largest record). A record that
 * cannot be read is counted in {@link #report()} with its position and passed over; only an unreadable file (missing,
 * not the format at all) throws.
 */
public interface DocumentReader extends Closeable {

    /** The next document, or {@code null} at the end of the file. */
    Document next() throws IOException;

    ReadReport report();

    /** The documents as a stream; closing the stream closes the reader. */
    default Stream<Document> stream() {
        Iterator<Document> it = new Iterator<>() {
            private Document pending;

            @Override
            public boolean hasNext() {
                if (pending == null) {
                    try {
                        pending = DocumentReader.this.next();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return pending != null;
            }

            @Override
            public Document next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Document d = pending;
                pending = null;
                return d;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try {
                        close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }
}
