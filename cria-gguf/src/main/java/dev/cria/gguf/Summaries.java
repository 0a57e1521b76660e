package dev.cria.gguf;

import java.util.function.IntFunction;

/** Short renderings of metadata values for {@code describe()} listings. */
final class Summaries {

    private static final int ARRAY_ITEMS_SHOWN = 4;
    private static final int ARRAY_CHARS_SHOWN = 80;

    private Summaries() {
    }

    /** {@code s} in double quotes with control characters escaped, cut after {@code maxChars} with its length noted. */
    static String quote(String s, int maxChars) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), maxChars) + 16).append('"');
        int shown = Math.min(s.length(), maxChars);
        if (shown < s.length() && Character.isHighSurrogate(s.charAt(shown - 1))) {
            shown--;
        }
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        if (shown < s.length()) {
            out.append("… (").append(s.length()).append(" chars)");
        }
        return out.toString();
    }

    /** {@code ARRAY[TYPE] n: first, second, …}, as many leading items as fit. */
    static String array(GgufValue.ArrayValue array, IntFunction<String> item) {
        StringBuilder out = new StringBuilder()
                .append("ARRAY[").append(array.elementType()).append("] ").append(array.size());
        if (array.size() == 0) {
            return out.toString();
        }
        out.append(": ");
        int start = out.length();
        int i = 0;
        for (; i < array.size() && i < ARRAY_ITEMS_SHOWN && out.length() - start < ARRAY_CHARS_SHOWN; i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(item.apply(i));
        }
        if (i < array.size()) {
            out.append(", …");
        }
        return out.toString();
    }
}
