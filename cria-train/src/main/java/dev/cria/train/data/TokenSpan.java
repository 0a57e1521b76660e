package dev.cria.train.data;

import dev.cria.tokenizer.shard.TokenShard;

/**
 * Tokens {@code [start, end)} of one shard: a part of the training or of the validation split.
 */
public record TokenSpan(TokenShard shard, long start, long end) {

    public TokenSpan {
        if (start < 0 || end < start || end > shard.tokenCount()) {
            throw new IllegalArgumentException(shard.file() + ": span [" + start + ", " + end + ") outside [0, " + shard.tokenCount() + ")");
        }
    }

    public long length() {
        return end - start;
    }

    /** Window starts in this span for windows of {@code window} tokens. */
    public long windowStarts(int window) {
        return Math.max(0, length() - window + 1);
    }
}
