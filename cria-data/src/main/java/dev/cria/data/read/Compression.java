package dev.cria.data.read;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * How an input file is compressed, told by its name: {@code .gz} (one or many gzip members, as Common Crawl writes one
 * per record), {@code .zst}, or none.
 */
public enum Compression {
    NONE, GZIP, ZSTD;

    public static Compression of(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".gz")) {
            return GZIP;
        }
        if (name.endsWith(".zst") || name.endsWith(".zstd")) {
            return ZSTD;
        }
        return NONE;
    }

    /** Opens {@code file} decompressed; {@code raw} receives the count of file bytes consumed. */
    static InputStream open(Path file, CountingInputStream[] raw) throws IOException {
        return open(file, 0, raw);
    }

    /** Opens an uncompressed {@code file} at byte {@code start} (0 for any file). */
    static InputStream open(Path file, long start, CountingInputStream[] raw) throws IOException {
        if (start > 0 && of(file) != NONE) {
            throw new IllegalArgumentException(file + ": a compressed file can only be read from its start");
        }
        InputStream in;
        if (start > 0) {
            java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file);
            channel.position(start);
            in = java.nio.channels.Channels.newInputStream(channel);
        } else {
            in = Files.newInputStream(file);
        }
        CountingInputStream counting = new CountingInputStream(new BufferedInputStream(in, 1 << 16));
        raw[0] = counting;
        try {
            return switch (of(file)) {
                // GZIPInputStream reads concatenated members, which is what gzip-per-record WARC/WET files are.
                case GZIP -> new GZIPInputStream(counting, 1 << 16);
                case ZSTD -> new BufferedInputStream(new ZstdInputStream(counting), 1 << 16);
                case NONE -> counting;
            };
        } catch (IOException e) {
            counting.close();
            throw new IOException(file + ": not a " + of(file).name().toLowerCase() + " file: " + e.getMessage(), e);
        }
    }
}
