package dev.cria.tokenizer.shard;

import java.io.IOException;
import java.nio.file.Path;

/** A token shard that cannot be read: wrong magic, unknown version or dtype, truncated, or an id out of range. */
public final class TokenShardFormatException extends IOException {

    /**
     * @param file the shard
     * @param offset the byte offset of the problem
     * @param detail what was found and what was expected
     */
    public TokenShardFormatException(Path file, long offset, String detail) {
        super(file + ": byte " + offset + ": " + detail);
    }
}
