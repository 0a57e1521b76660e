package dev.cria.data.source.github;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RedPajama's removal of licence headers from source files (DATA-RULES §4 step 2): the first {@code /* ... *}{@code /}
 * block comment anywhere in the file goes if it mentions "copyright", and nothing else is touched; a file without
 * any block comment loses its leading lines that start with {@code //}, {@code #} or {@code --} or are empty (so a
 * leading {@code #include} or shebang goes too, as there).
 */
public final class CodeHeaders {

    private static final Pattern BLOCK_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);

    private CodeHeaders() {
    }

    public static String strip(String content) {
        Matcher m = BLOCK_COMMENT.matcher(content);
        if (m.find()) {
            return m.group().toLowerCase(java.util.Locale.ROOT).contains("copyright")
                    ? content.substring(0, m.start()) + content.substring(m.end()) : content;
        }
        String[] lines = content.split("\n", -1);
        int skip = 0;
        while (skip < lines.length) {
            String l = lines[skip];
            if (l.isEmpty() || l.startsWith("//") || l.startsWith("#") || l.startsWith("--")) {
                skip++;
            } else {
                break;
            }
        }
        return String.join("\n", java.util.Arrays.asList(lines).subList(skip, lines.length));
    }
}
