package dev.cria.data.source.wikipedia;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.parser.Parser;

/**
 * Wikitext to plain text with the rules of the Hugging Face {@code wikipedia} builder that RedPajama and LLaMA used
 * (DATA-RULES §5), which renders with mwparserfromhell's {@code strip_code}: links become their visible text, links to
 * files, images and media go with their captions, category links keep their name without the prefix, references,
 * tables (HTML and wiki), templates, comments and formatting are removed, HTML tags other than those keep their
 * text, headings keep their title, magic words {@code __LIKE_THIS__} go. Sections are stripped and joined by a blank
 * line.
 */
public final class WikitextCleaner {

    /** Tags removed with everything inside: references and tables by the builder, the rest are not visible text. */
    private static final Set<String> DROPPED_TAGS = Set.of("ref", "table", "categorytree", "gallery", "graph", "imagemap",
            "inputbox", "math", "nowiki", "pre", "score", "section", "source", "syntaxhighlight", "templatedata",
            "timeline", "references", "chem", "ce", "mapframe", "maplink", "hiero");
    private static final Pattern URL_START = Pattern.compile("(?i)(https?:|ftp:|ftps:|mailto:|news:|irc:|ircs:|gopher:|telnet:|//)");
    private static final Pattern HEADING = Pattern.compile("^(={1,6})\\s*(.*?)\\s*\\1\\s*$");
    private static final Pattern MAGIC_WORD = Pattern.compile("__[A-Z]+__");
    private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)([^<>]*?)(/?)>");

    private final Set<String> mediaPrefixes;
    private final Set<String> categoryPrefixes;

    /**
     * @param mediaPrefixes namespace names whose links are removed (lower-case, without the colon): always
     *     {@code file}, {@code image}, {@code media}, plus the wiki's localized names
     * @param categoryPrefixes the category namespace's names (lower-case): always {@code category}, plus localized ones
     */
    public WikitextCleaner(Set<String> mediaPrefixes, Set<String> categoryPrefixes) {
        this.mediaPrefixes = union(mediaPrefixes, Set.of("file", "image", "media"));
        this.categoryPrefixes = union(categoryPrefixes, Set.of("category"));
    }

    public WikitextCleaner() {
        this(Set.of(), Set.of());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        var s = new java.util.HashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }

    public String clean(String wikitext) {
        String text = strip(wikitext);
        List<String> sections = new ArrayList<>();
        StringBuilder section = new StringBuilder();
        for (String rawLine : text.split("\n", -1)) {
            Matcher heading = HEADING.matcher(rawLine);
            if (heading.matches()) {
                sections.add(section.toString());
                section.setLength(0);
                section.append(heading.group(2)).append('\n');
                continue;
            }
            String line = rawLine;
            if (line.strip().matches("-{4,}")) {
                continue;
            }
            int k = 0;
            while (k < line.length() && "*#:;".indexOf(line.charAt(k)) >= 0) {
                k++;
            }
            section.append(k > 0 ? line.substring(k).stripLeading() : line).append('\n');
        }
        sections.add(section.toString());
        List<String> parts = new ArrayList<>();
        for (String s : sections) {
            String stripped = Parser.unescapeEntities(s, false).strip();
            if (!stripped.isEmpty()) {
                parts.add(stripped);
            }
        }
        return String.join("\n\n", parts);
    }

    /** The visible text of a wikitext fragment, markup removed; line structure kept. */
    String strip(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '<' && s.startsWith("<!--", i)) {
                int end = s.indexOf("-->", i + 4);
                i = end < 0 ? n : end + 3;
            } else if (c == '{' && s.startsWith("{{", i)) {
                int end = matchPairs(s, i, "{{", "}}");
                if (end < 0) {
                    out.append("{{");
                    i += 2;
                } else {
                    i = end;
                }
            } else if (c == '{' && s.startsWith("{|", i) && atLineStart(s, i)) {
                i = matchTable(s, i);
            } else if (c == '[' && s.startsWith("[[", i)) {
                int end = matchPairs(s, i, "[[", "]]");
                if (end < 0) {
                    out.append("[[");
                    i += 2;
                } else {
                    out.append(link(s.substring(i + 2, end - 2)));
                    i = end;
                }
            } else if (c == '[' && URL_START.matcher(s).region(i + 1, n).lookingAt()) {
                int end = externalLinkEnd(s, i + 1);
                if (end < 0) {
                    out.append(c);
                    i++;
                } else {
                    String inner = s.substring(i + 1, end);
                    int space = inner.indexOf(' ');
                    if (space >= 0) {
                        out.append(strip(inner.substring(space + 1)));
                    }
                    i = end + 1;
                }
            } else if (c == '<') {
                i = tag(s, i, out);
            } else if (c == '\'' && s.startsWith("''", i)) {
                int run = 0;
                while (i + run < n && s.charAt(i + run) == '\'') {
                    run++;
                }
                // '' italic, ''' bold, ''''' both; a run of 4 is an apostrophe then bold, longer runs keep the extras.
                int markup = run == 4 ? 3 : Math.min(run, 5);
                out.append("'".repeat(run - markup));
                i += run;
            } else if (c == '_' && s.startsWith("__", i)) {
                Matcher m = MAGIC_WORD.matcher(s).region(i, n);
                if (m.lookingAt()) {
                    i = m.end();
                } else {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private String link(String inner) {
        int pipe = topLevelPipe(inner);
        String target = (pipe < 0 ? inner : inner.substring(0, pipe)).strip();
        String bare = target.startsWith(":") ? target.substring(1) : target;
        int colon = bare.indexOf(':');
        if (colon > 0) {
            String prefix = bare.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            if (mediaPrefixes.contains(prefix) && !target.startsWith(":")) {
                return "";
            }
            if (categoryPrefixes.contains(prefix)) {
                return pipe < 0 ? bare.substring(colon + 1).strip() : strip(inner.substring(pipe + 1));
            }
        }
        return pipe < 0 ? strip(target) : strip(inner.substring(pipe + 1));
    }

    private static int topLevelPipe(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.startsWith("[[", i) || s.startsWith("{{", i)) {
                depth++;
                i++;
            } else if ((s.startsWith("]]", i) || s.startsWith("}}", i)) && depth > 0) {
                depth--;
                i++;
            } else if (s.charAt(i) == '|' && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private int tag(String s, int i, StringBuilder out) {
        Matcher m = TAG.matcher(s).region(i, s.length());
        if (!m.lookingAt()) {
            out.append('<');
            return i + 1;
        }
        String name = m.group(2).toLowerCase(Locale.ROOT);
        boolean closing = !m.group(1).isEmpty();
        boolean selfClosing = !m.group(4).isEmpty();
        if (DROPPED_TAGS.contains(name) && !closing && !selfClosing) {
            Matcher close = Pattern.compile("(?i)</" + name + "\\s*>").matcher(s).region(m.end(), s.length());
            return close.find() ? close.end() : s.length();
        }
        if (name.equals("br")) {
            out.append('\n');
        }
        return m.end();
    }

    /** The {@code ]} closing an external link; wikilinks inside its title are skipped; -1 at a line end. */
    private static int externalLinkEnd(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\n') {
                return -1;
            }
            if (c == '[' && s.startsWith("[[", i)) {
                int end = matchPairs(s, i, "[[", "]]");
                if (end < 0) {
                    return -1;
                }
                i = end;
            } else if (c == ']') {
                return i;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static boolean atLineStart(String s, int i) {
        int k = i - 1;
        while (k >= 0 && (s.charAt(k) == ' ' || s.charAt(k) == '\t')) {
            k--;
        }
        return k < 0 || s.charAt(k) == '\n';
    }

    /** End (exclusive) of the balanced {@code open ... close} starting at {@code i}, or -1 when unbalanced. */
    private static int matchPairs(String s, int i, String open, String close) {
        int depth = 0;
        int n = s.length();
        while (i < n) {
            if (s.startsWith(open, i)) {
                depth++;
                i += 2;
            } else if (s.startsWith(close, i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return -1;
    }

    /** End of a wiki table opened by {@code {|} at a line start, nested tables included; unclosed runs to the end. */
    private static int matchTable(String s, int i) {
        int depth = 0;
        int n = s.length();
        while (i < n) {
            if (s.startsWith("{|", i) && atLineStart(s, i)) {
                depth++;
                i += 2;
            } else if (s.startsWith("|}", i) && atLineStart(s, i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /** Whether the text still holds wiki markup (for tests and sanity checks). */
    public static boolean hasMarkup(String text) {
        return text.contains("[[") || text.contains("]]") || text.contains("{{") || text.contains("}}")
                || text.contains("'''") || text.contains("<ref") || text.contains("{|") || text.contains("<!--")
                || MAGIC_WORD.matcher(text).find();
    }
}
