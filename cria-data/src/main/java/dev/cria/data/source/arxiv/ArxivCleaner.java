package dev.cria.data.source.arxiv;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RedPajama's arXiv cleaning, which LLaMA describes (DATA-RULES §7): a macro dictionary from every file of a paper,
 * then per file: drop everything before the first sectioning command, drop comments, cut at the appendix or the
 * bibliography, expand the argument-free macros. Patterns use Python's line semantics ({@code .} stops only at
 * {@code \n}), so files with CRLF endings clean as they do in RedPajama.
 */
public final class ArxivCleaner {

    private static final Pattern NEWCOMMAND = Pattern.compile("\\\\newcommand\\*?\\{(\\\\[a-zA-Z0-9]+?)\\}\\{(.*?)\\}$",
            Pattern.MULTILINE | Pattern.UNIX_LINES);
    private static final Pattern DEF = Pattern.compile("\\\\def\\s*(\\\\[a-zA-Z0-9]+?)\\s*\\{(.*?)\\}$", Pattern.MULTILINE | Pattern.UNIX_LINES);
    /**
     * The first sectioning command. RedPajama's pattern glues {@code \paragraph} and {@code \subparagraph} together
     * without an alternation bar, so a lone {@code \paragraph} does not start the text; the quirk is kept.
     */
    private static final Pattern SECTION = Pattern.compile(
            "(\\\\chapter|\\\\part|\\\\section|\\\\subsection|\\\\subsubsection|\\\\paragraph\\\\subparagraph)\\*?(?:\\[.*?\\])?\\{.*?\\}", Pattern.UNIX_LINES);
    private static final Pattern FULL_LINE_COMMENT = Pattern.compile("^%.*$\\n?", Pattern.MULTILINE | Pattern.UNIX_LINES);
    /** An unescaped {@code %} to the end of the line; the character before it goes too (RedPajama's regex does so). */
    private static final Pattern INLINE_COMMENT = Pattern.compile("[^\\\\]%.+$", Pattern.MULTILINE | Pattern.UNIX_LINES);
    private static final Pattern END = Pattern.compile(
            "\\\\appendix|\\\\begin\\{references\\}|\\\\begin\\{REFERENCES\\}|\\\\begin\\{thebibliography\\}|\\\\bibliography\\{.*\\}", Pattern.UNIX_LINES);

    private ArxivCleaner() {
    }

    /** The argument-free macros defined by {@code \newcommand} or {@code \def} in any file; later ones win. */
    public static Map<String, String> macros(List<String> files) {
        Map<String, String> macros = new LinkedHashMap<>();
        for (String file : files) {
            for (Pattern p : List.of(NEWCOMMAND, DEF)) {
                Matcher m = p.matcher(file);
                while (m.find()) {
                    macros.put(m.group(1), m.group(2));
                }
            }
        }
        return macros;
    }

    /** One file's cleaned text; empty when it has no sectioning command. */
    public static String clean(String file, Map<String, String> macros) {
        Matcher section = SECTION.matcher(file);
        if (!section.find()) {
            return "";
        }
        String text = file.substring(section.start());
        text = FULL_LINE_COMMENT.matcher(text).replaceAll("");
        text = INLINE_COMMENT.matcher(text).replaceAll("");
        Matcher end = END.matcher(text);
        if (end.find()) {
            text = text.substring(0, end.start());
        }
        for (Map.Entry<String, String> macro : macros.entrySet()) {
            Pattern use = Pattern.compile(Pattern.quote(macro.getKey()) + "(?=[^a-zA-Z0-9])");
            text = use.matcher(text).replaceAll(Matcher.quoteReplacement(macro.getValue()));
        }
        return text;
    }

    /** A paper's text: its files cleaned with the paper's macros, in member order, joined by newlines. */
    public static String cleanPaper(List<String> files) {
        Map<String, String> macros = macros(files);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < files.size(); i++) {
            if (i > 0) {
                out.append('\n');
            }
            out.append(clean(files.get(i), macros));
        }
        return out.toString().strip();
    }
}
