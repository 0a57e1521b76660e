package dev.cria.tokenizer.spm;

import java.util.List;
import java.util.Locale;

/**
 * One field of a SentencePiece spec message: its proto number, its proto name (also spm_train's flag name),
 * its value kind, and its proto2 default (what an absent field means).
 */
public record SpecField(int number, String name, Kind kind, Object defaultValue) {

    /** Value kinds and how they travel on the wire. */
    public enum Kind {
        STRING, BYTES, INT32, UINT64, FLOAT, BOOL, REPEATED_STRING,
        /** TrainerSpec.ModelType: UNIGRAM=1, BPE=2, WORD=3, CHAR=4. */
        MODEL_TYPE
    }

    /** spm_train's flag name in kebab case: {@code split_digits} becomes {@code split-digits}. */
    public String optionName() {
        return name.replace('_', '-');
    }

    /** Parses a command-line value for this field; booleans accept true/false/1/0. */
    public Object parse(String text) {
        return switch (kind) {
            case STRING, BYTES -> text;
            case INT32 -> Integer.parseInt(text.trim());
            case UINT64 -> Long.parseLong(text.trim());
            case FLOAT -> Float.parseFloat(text.trim());
            case BOOL -> switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes" -> Boolean.TRUE;
                case "false", "0", "no" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("--" + optionName() + ": expected true or false, got '" + text + "'");
            };
            case REPEATED_STRING -> List.of(text.split(",", -1));
            case MODEL_TYPE -> ModelType.parse(text);
        };
    }
}
