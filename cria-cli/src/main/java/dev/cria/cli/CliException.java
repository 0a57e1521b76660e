package dev.cria.cli;

/** A problem with what the user gave a command (bad input line, missing model id); printed without a stack trace. */
public final class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
