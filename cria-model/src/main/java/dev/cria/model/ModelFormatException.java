package dev.cria.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file that cannot be loaded: a header or shape that does not fit the format, a size that does not match
 * the header, an unsupported version. The message names the file, the byte offset when one applies, and what was
 * expected.
 */
public final class ModelFormatException extends IOException {

    /**
     * @param file the file
     * @param offset the byte offset of the problem, or a negative number when no single offset applies
     * @param detail what was found and what was expected
     */
    public ModelFormatException(Path file, long offset, String detail) {
        super(offset < 0 ? file + ": " + detail : file + ": byte " + offset + ": " + detail);
    }

    public ModelFormatException(Path file, String detail, Throwable cause) {
        super(file + ": " + detail, cause);
    }
}
