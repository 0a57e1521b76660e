package dev.cria.data.engine;

import dev.cria.data.read.DocumentReader;
import dev.cria.data.read.ReaderKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * One unit of work: one input file, or one byte slice of a large uncompressed one, read by one worker and written to
 * output shard {@code part-<index>}.
 *
 * @param index the shard number: sources in recipe order, files sorted within each, slices in file order
 * @param start first byte of the slice (0 for a whole file)
 * @param end end of the slice, exclusive (the file size for a whole file): records starting in [start, end) belong here
 * @param sliced whether the file was cut into slices (then {@code end} bounds the reader)
 */
public record InputShard(int index, String source, ReaderKind reader, Map<String, String> options, Path file, long start, long end,
        boolean sliced) {

    /** A whole file of {@code size} bytes. */
    public InputShard(int index, String source, ReaderKind reader, Map<String, String> options, Path file, long size) {
        this(index, source, reader, options, file, 0, size, false);
    }

    public long length() {
        return end - start;
    }

    DocumentReader open() throws IOException {
        return sliced ? reader.open(file, source, options, start, end) : reader.open(file, source, options);
    }

    /** The file, with the byte range when sliced: for the manifest and messages. */
    String describe() {
        return sliced ? file + "@" + start + "-" + end : file.toString();
    }
}
