package dev.cria.data.lm;

import java.text.Normalizer;
import java.util.Locale;

/**
 * CCNet's {@code text_normalizer.normalize} with its defaults (accents, case, numbers, punct=1), the normalization
 * its SentencePiece step applies to a whole document before the language model sees it:
 * <ol>
 *   <li>strip surrounding whitespace (Python's {@code str.strip}: Unicode whitespace);
 *   <li>lower-case;
 *   <li>strip accents: NFD, then drop every non-spacing mark (category Mn); the text stays decomposed;
 *   <li>every Unicode decimal digit (category Nd) becomes {@code 0};
 *   <li>34 Unicode punctuation characters become ASCII ({@code ，}→{@code ,}, {@code —}→{@code " - "},
 *       {@code …}→{@code ...}, {@code «}→{@code "}, ...);
 *   <li>control characters U+0000–U+001F and U+007F–U+009F are deleted, {@code \n} included, so the lines of a
 *       document are glued together.
 * </ol>
 * (The line-dedup normalization, {@code normalize_for_dedup}, deletes that punctuation instead and keeps accents.)
 */
public final class CcnetLmNormalizer {
    private static final String[] PUNCT = new String[0x3020];
    private static final String[] PUNCT_HIGH_KEYS = {"\uFF0C", "\uFF1A", "\uFF1F", "\uFF01", "\uFF08", "\uFF09",
        "\uFF1B", "\uFF0E", "\uFF5E", "\uFF05", "\uFF11"};
    private static final String[] PUNCT_HIGH_VALUES = {",", ":", "?", "!", "(", ")", ";", ". ", "~", "%", "\""};

    static {
        put('\u3002', ".");
        put('\u3001', ",");
        put('\u201E', "\"");
        put('\u201D', "\"");
        put('\u201C', "\"");
        put('\u00AB', "\"");
        put('\u00BB', "\"");
        put('\u300D', "\"");
        put('\u300C', "\"");
        put('\u300A', "\"");
        put('\u300B', "\"");
        put('\u00B4', "'");
        put('\u2236', ":");
        put('\u2013', "-");
        put('\u2014', " - ");
        put('\u2019', "'");
        put('\u2026', "...");
        put('\u2501', "-");
        put('\u3008', "<");
        put('\u3009', ">");
        put('\u3010', "[");
        put('\u3011', "]");
        put('\u25BA', "-");
    }

    private static void put(char c, String replacement) {
        PUNCT[c] = replacement;
    }

    private CcnetLmNormalizer() {
    }

    /** The replacement of {@code cp} in CCNet's punctuation table, or null (the dedup normalization uses it too). */
    public static String punctuation(int cp) {
        if (cp < PUNCT.length) {
            return PUNCT[cp];
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
            for (int i = 0; i < PUNCT_HIGH_KEYS.length; i++) {
                if (PUNCT_HIGH_KEYS[i].charAt(0) == cp) {
                    return PUNCT_HIGH_VALUES[i];
                }
            }
        }
        return null;
    }

    /** Python's {@code str.isspace} for one code point (what {@code str.strip()} and {@code str.split()} cut on). */
    public static boolean isPythonSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0B, '\f', '\r', 0x1C, 0x1D, 0x1E, 0x1F, ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F,
                 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    public static String normalize(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isPythonSpace(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && isPythonSpace(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        if (start == end) {
            return "";
        }
        String s = text.substring(start, end).toLowerCase(Locale.ROOT);
        if (!isAscii(s)) {
            s = Normalizer.normalize(s, Normalizer.Form.NFD);
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK) {
                continue;
            }
            if (type == Character.DECIMAL_DIGIT_NUMBER) {
                out.append('0');
                continue;
            }
            String p = punctuation(cp);
            if (p != null) {
                out.append(p);
            } else if (cp > 0x1F && (cp < 0x7F || cp > 0x9F)) {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
