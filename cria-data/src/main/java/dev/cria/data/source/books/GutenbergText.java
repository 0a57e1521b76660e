package dev.cria.data.source.books;

import java.util.List;

/**
 * Removes Project Gutenberg's header and footer (licence, small print, transcriber notes around the book). The
 * book starts after the last start marker in the first half of the file — {@code *** START OF THIS/THE PROJECT
 * GUTENBERG EBOOK ...} or, in the oldest files, the end of the small print ({@code *END*THE SMALL PRINT!}) — and
 * ends before the first end marker after that ({@code *** END OF ...}, {@code End of the Project Gutenberg ...}, or
 * a trailing small print). A text with no markers is returned unchanged.
 */
public final class GutenbergText {

    private static final List<String> START = List.of(
            "*** START OF THIS PROJECT GUTENBERG", "*** START OF THE PROJECT GUTENBERG", "***START OF THE PROJECT GUTENBERG",
            "***START OF THIS PROJECT GUTENBERG", "*END*THE SMALL PRINT", "*END THE SMALL PRINT", "*** START OF PROJECT GUTENBERG");
    private static final List<String> END = List.of(
            "*** END OF THIS PROJECT GUTENBERG", "*** END OF THE PROJECT GUTENBERG", "***END OF THE PROJECT GUTENBERG",
            "***END OF THIS PROJECT GUTENBERG", "*** END OF PROJECT GUTENBERG", "END OF THE PROJECT GUTENBERG",
            "END OF THIS PROJECT GUTENBERG", "END OF PROJECT GUTENBERG", "***START**THE SMALL PRINT");

    private GutenbergText() {
    }

    public static String strip(String text) {
        String[] lines = text.split("\n", -1);
        int start = 0;
        for (int i = 0; i < lines.length / 2; i++) {
            if (startsWithAny(lines[i], START)) {
                start = i + 1;
            }
        }
        int end = lines.length;
        for (int i = start; i < lines.length; i++) {
            if (startsWithAny(lines[i], END)) {
                end = i;
                break;
            }
        }
        return String.join("\n", java.util.Arrays.asList(lines).subList(start, end)).strip();
    }

    private static boolean startsWithAny(String line, List<String> markers) {
        String upper = line.strip().toUpperCase(java.util.Locale.ROOT);
        for (String m : markers) {
            if (upper.startsWith(m)) {
                return true;
            }
        }
        return false;
    }
}
