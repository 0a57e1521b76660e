package dev.cria.cli.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An output file that appears under its name only when complete: bytes go to a temporary file beside
 * it, {@link #commit()} renames it into place, and {@link #close()} without a commit deletes it, so a
 * failed or killed run never leaves a half-written file that looks finished.
 */
public final class AtomicFileOutput implements AutoCloseable {

    private final Path target;
    private final Path temporary;
    private final OutputStream out;
    private boolean committed;

    private AtomicFileOutput(Path target, Path temporary, OutputStream out) {
        this.target = target;
        this.temporary = temporary;
        this.out = out;
    }

    public static AtomicFileOutput create(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path temporary = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        return new AtomicFileOutput(target, temporary,
                new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16));
    }

    /** Where to write; {@link #commit()} or {@link #close()} closes it. */
    public OutputStream stream() {
        return out;
    }

    /** Flushes and moves the finished file to its name, replacing any file there. */
    public void commit() throws IOException {
        out.close();
        try {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            try {
                out.close();
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
    }
}
