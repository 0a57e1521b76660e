package dev.cria.data.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Python {@code str} semantics that the reference pipelines (CCNet, C4, datatrove, RedPajama) rely on and Java's
 * defaults do not share (DATA-RULES §14.14): lengths in code points, {@code splitlines()} on every Python line
 * boundary, {@code split()} on any Unicode whitespace, and the wide {@code isalpha}/{@code isalnum}.
 */
public final class PythonText {

    private PythonText() {
    }

    /** {@code len(s)}: code points, not UTF-16 units. */
    public static int length(CharSequence s) {
        return Character.codePointCount(s, 0, s.length());
    }

    /** The line boundaries of Python's {@code str.splitlines()}. */
    public static boolean isLineBoundary(int c) {
        return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x1C || c == 0x1D || c == 0x1E
                || c == 0x85 || c == 0x2028 || c == 0x2029;
    }

    /** {@code str.splitlines()}: {@code \r\n} counts as one boundary; no trailing empty line. */
    public static List<String> splitlines(String s) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (isLineBoundary(c)) {
                lines.add(s.substring(start, i));
                i += (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < n) {
            lines.add(s.substring(start));
        }
        return lines;
    }

    /** Python's {@code str.isspace()} for one code point. */
    public static boolean isWhitespace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85 || (c >= 0x1C && c <= 0x1F);
    }

    /** {@code str.split()} with no argument: runs of whitespace separate, empty pieces are dropped. */
    public static List<String> splitWhitespace(String s) {
        List<String> words = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && isWhitespace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            int start = i;
            while (i < n && !isWhitespace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            if (i > start) {
                words.add(s.substring(start, i));
            }
        }
        return words;
    }

    /** {@code str.strip()}: removes Python whitespace at both ends. */
    public static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isWhitespace(s.codePointAt(from))) {
            from += Character.charCount(s.codePointAt(from));
        }
        while (to > from && isWhitespace(s.codePointBefore(to))) {
            to -= Character.charCount(s.codePointBefore(to));
        }
        return s.substring(from, to);
    }

    /** {@code str.lstrip()}. */
    public static String lstrip(String s) {
        int from = 0;
        while (from < s.length() && isWhitespace(s.codePointAt(from))) {
            from += Character.charCount(s.codePointAt(from));
        }
        return s.substring(from);
    }

    /** {@code str.rstrip()}. */
    public static String rstrip(String s) {
        int to = s.length();
        while (to > 0 && isWhitespace(s.codePointBefore(to))) {
            to -= Character.charCount(s.codePointBefore(to));
        }
        return s.substring(0, to);
    }

    /** Python's {@code isalpha()} for one code point: Unicode letters (categories L*). */
    public static boolean isAlpha(int c) {
        return Character.isLetter(c);
    }

    /** Python's {@code isalnum()} for one code point: letters and every numeric category (Nd, Nl, No). */
    public static boolean isAlnum(int c) {
        if (Character.isLetter(c)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
    }

    /** Python's {@code \d} in a Unicode pattern: decimal digits of any script. */
    public static boolean isDecimalDigit(int c) {
        return Character.getType(c) == Character.DECIMAL_DIGIT_NUMBER;
    }

    /** {@code any(c.isalpha() for c in s)}. */
    public static boolean containsAlpha(String s) {
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (isAlpha(c)) {
                return true;
            }
            i += Character.charCount(c);
        }
        return false;
    }
}
