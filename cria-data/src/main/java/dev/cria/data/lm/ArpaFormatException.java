package dev.cria.data.lm;

import java.io.IOException;

/** An ARPA file that does not follow the format: names the file, the 1-based line and what was expected there. */
public final class ArpaFormatException extends IOException {
    private final String file;
    private final long line;

    public ArpaFormatException(String file, long line, String message) {
        super(file + ":" + line + ": " + message);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    /** 1-based line number the problem was found at. */
    public long line() {
        return line;
    }
}
