package dev.cria.tokenizer;

/** Token types, numbered as SentencePiece's {@code ModelProto.SentencePiece.Type} and GGUF's token_type. */
public enum TokenType {
    NORMAL(1),
    UNKNOWN(2),
    CONTROL(3),
    USER_DEFINED(4),
    UNUSED(5),
    BYTE(6);

    private final int code;

    TokenType(int code) {
        this.code = code;
    }

    /** The number used in SentencePiece model files and in GGUF {@code tokenizer.ggml.token_type}. */
    public int code() {
        return code;
    }

    public static TokenType ofCode(int code) {
        return switch (code) {
            case 1 -> NORMAL;
            case 2 -> UNKNOWN;
            case 3 -> CONTROL;
            case 4 -> USER_DEFINED;
            case 5 -> UNUSED;
            case 6 -> BYTE;
            default -> throw new IllegalArgumentException("unknown token type " + code + " (expected 1..6)");
        };
    }
}
