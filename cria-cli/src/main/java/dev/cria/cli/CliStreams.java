package dev.cria.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Objects;

/**
 * The standard streams a command reads and writes, as bytes: commands never decode their input
 * before the code that owns its meaning sees it, and tests pass their own streams.
 *
 * @param in standard input (commands buffer it themselves)
 * @param out standard output: only results, since other tools parse it; flushed when the command ends
 * @param err messages, errors and progress
 */
public record CliStreams(InputStream in, OutputStream out, PrintStream err) {

    public CliStreams {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }

    /** The process's streams; stdout is buffered, so nothing is written per line unless a command flushes. */
    public static CliStreams system() {
        return new CliStreams(new FileInputStream(FileDescriptor.in),
                new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), System.err);
    }
}
