package dev.cria.tokenizer.shard;

/** How a token shard stores each id: little-endian unsigned 16 or 32 bits. */
public enum TokenDType {
    UINT16(2),
    UINT32(4);

    private final int bytes;

    TokenDType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per token; this number is what the header's dtype field holds. */
    public int bytes() {
        return bytes;
    }

    /** The largest vocabulary whose ids all fit. */
    public long maxVocabSize() {
        return this == UINT16 ? 1L << 16 : 1L << 32;
    }

    /** The narrowest dtype that holds every id of a vocabulary of {@code vocabSize}. */
    public static TokenDType forVocabSize(int vocabSize) {
        return vocabSize <= (1 << 16) ? UINT16 : UINT32;
    }

    /** The dtype whose header code is {@code code}, or null when none is. */
    static TokenDType ofCode(long code) {
        for (TokenDType t : values()) {
            if (t.bytes == code) {
                return t;
            }
        }
        return null;
    }
}
