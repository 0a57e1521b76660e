package dev.cria.tokenizer.train;

/**
 * The script of a character as SentencePiece's trainer sees it (unicode_script.cc plus trainer_interface.cc):
 * Hiragana, Katakana and the prolonged sound mark U+30FC count as Han, so Japanese words stay together;
 * unassigned code points are Common.
 */
final class UnicodeScripts {
    static final int ANY = -1;

    private UnicodeScripts() {
    }

    static int of(int cp) {
        if (cp == 0x30FC) {
            return Character.UnicodeScript.HAN.ordinal();
        }
        Character.UnicodeScript s;
        try {
            s = Character.UnicodeScript.of(cp);
        } catch (IllegalArgumentException e) {
            return Character.UnicodeScript.COMMON.ordinal();
        }
        return switch (s) {
            case HIRAGANA, KATAKANA -> Character.UnicodeScript.HAN.ordinal();
            case UNKNOWN -> Character.UnicodeScript.COMMON.ordinal();
            default -> s.ordinal();
        };
    }

    static boolean isInherited(int script) {
        return script == Character.UnicodeScript.INHERITED.ordinal();
    }

    /** SentencePiece's is_unicode_decimal_number: ASCII and full-width digits only. */
    static boolean isDecimalDigit(int cp) {
        return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
    }
}
