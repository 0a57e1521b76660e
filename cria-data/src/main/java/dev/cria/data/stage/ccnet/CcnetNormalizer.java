package dev.cria.data.stage.ccnet;

import dev.cria.data.lm.CcnetLmNormalizer;
import dev.cria.data.text.PythonText;
import java.util.Locale;

/**
 * CCNet's {@code normalize_for_dedup} (DATA-RULES §2.3): strip, lower-case, every Unicode decimal digit to {@code 0},
 * then delete the 34 characters of CCNet's Unicode punctuation table ({@link CcnetLmNormalizer#punctuation}) and every control character (U+0000–U+001F,
 * U+007F–U+009F). ASCII punctuation and accents stay.
 */
public final class CcnetNormalizer {

    private CcnetNormalizer() {
    }

    public static String forDedup(String line) {
        String lower = PythonText.strip(line).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); ) {
            int c = lower.codePointAt(i);
            i += Character.charCount(c);
            if (PythonText.isDecimalDigit(c)) {
                out.append('0');
            } else if (c <= 0x1F || (c >= 0x7F && c <= 0x9F) || CcnetLmNormalizer.punctuation(c) != null) {
                continue;
            } else {
                out.appendCodePoint(c);
            }
        }
        return out.toString();
    }
}
