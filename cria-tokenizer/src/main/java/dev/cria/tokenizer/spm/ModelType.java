package dev.cria.tokenizer.spm;

import java.util.Locale;

/** TrainerSpec.ModelType, numbered as in sentencepiece_model.proto. */
public enum ModelType {
    UNIGRAM(1), BPE(2), WORD(3), CHAR(4);

    private final int code;

    ModelType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ModelType ofCode(int code) {
        for (ModelType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown model_type " + code + " (expected 1..4)");
    }

    public static ModelType parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model type must be unigram, bpe, word or char, got '" + text + "'");
        }
    }
}
