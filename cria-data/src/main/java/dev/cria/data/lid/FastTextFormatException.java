package dev.cria.data.lid;

import java.io.IOException;

/** A fastText model file that cannot be read: wrong magic or version, truncated, or inconsistent. */
public final class FastTextFormatException extends IOException {

    public FastTextFormatException(String message) {
        super(message);
    }
}
