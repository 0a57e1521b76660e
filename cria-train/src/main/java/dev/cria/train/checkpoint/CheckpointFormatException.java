package dev.cria.train.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint that cannot be resumed: a file missing, a tensor missing or of another shape, a bad state file. */
public final class CheckpointFormatException extends IOException {

    public CheckpointFormatException(Path file, String detail) {
        super(file + ": " + detail);
    }
}
