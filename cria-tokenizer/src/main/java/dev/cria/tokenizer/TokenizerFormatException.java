package dev.cria.tokenizer;

import java.io.IOException;

/** A tokenizer file that cannot be read: wrong format, truncated, or inconsistent. Names the file and position. */
public class TokenizerFormatException extends IOException {
    public TokenizerFormatException(String message) {
        super(message);
    }

    public TokenizerFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
