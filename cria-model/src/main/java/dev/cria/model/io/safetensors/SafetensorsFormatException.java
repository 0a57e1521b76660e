package dev.cria.model.io.safetensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A safetensors file (or sharded checkpoint) that cannot be read as asked: truncated, a header that is not the
 * JSON the format defines, offsets that disagree with dtype and shape, overlapping or missing bytes, a tensor
 * that is absent or of a dtype the caller cannot use.
 *
 * <p>The message names the file and, when one applies, the byte offset from the start of the file, then the
 * tensor, its dtype and shape, and what was expected.
 */
public final class SafetensorsFormatException extends IOException {

    private final transient Path file;
    private final long offset;

    /**
     * @param file   the file, or {@code null} when the bytes did not come from a file
     * @param offset the byte offset from the start of the file, or a negative number when no single offset applies
     * @param detail what was found and what was expected
     */
    public SafetensorsFormatException(Path file, long offset, String detail) {
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
        String where = file == null ? "safetensors data" : file.toString();
        return offset < 0 ? where + ": " + detail : where + ": byte " + offset + ": " + detail;
    }
}
