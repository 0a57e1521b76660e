package dev.cria.gguf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A GGUF file that cannot be read as asked: bad magic or version, truncated, an unknown type id, a tensor
 * outside the file, a metadata key that is missing or of another type than the caller expects.
 *
 * <p>The message names the file and the byte offset where the problem was found (when there is one), then
 * the key or tensor and the types involved.
 */
public final class GgufFormatException extends IOException {

    private final transient Path file;
    private final long offset;

    /**
     * @param file   the file, or {@code null} when the bytes did not come from a file
     * @param offset the byte offset from the start of the file, or a negative number when no single offset applies
     * @param detail what was found and what was expected
     */
    public GgufFormatException(Path file, long offset, String detail) {
        super(format(file, offset, detail));
        this.file = file;
        this.offset = offset;
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The byte offset from the start of the file, when the problem has one. */
    public OptionalLong offset() {
        return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    private static String format(Path file, long offset, String detail) {
        String where = file == null ? "GGUF data" : file.toString();
        return offset < 0 ? where + ": " + detail : where + ": byte " + offset + ": " + detail;
    }
}
