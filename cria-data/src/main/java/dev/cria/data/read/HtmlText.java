package dev.cria.data.read;

import dev.cria.data.text.PythonText;
import java.util.Set;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The visible text of an HTML page, one line per block: what a WET file holds for the same page, roughly. Runs of
 * whitespace inside a block become one space ({@code <pre>} keeps its lines), block elements and {@code <br>} end a
 * line, {@code script}, {@code style}, {@code noscript}, {@code template}, {@code svg} and the {@code head} give no
 * text, lines are stripped and empty lines dropped.
 */
public final class HtmlText {
    private static final Set<String> BLOCKS = Set.of("address", "article", "aside", "blockquote", "body", "br", "caption",
            "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
            "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "nav", "ol", "option", "p",
            "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul");
    private static final Set<String> HIDDEN = Set.of("script", "style", "noscript", "template", "svg", "head", "iframe",
            "object", "select", "button", "input", "textarea", "math");

    private HtmlText() {
    }

    public static String of(Document page) {
        StringBuilder out = new StringBuilder(4096);
        Element body = page.body();
        NodeTraversor.traverse(new Collector(out), body == null ? page : body);
        return tidy(out);
    }

    private static final class Collector implements NodeVisitor {
        private final StringBuilder out;
        private int hiddenDepth;
        private int preDepth;

        Collector(StringBuilder out) {
            this.out = out;
        }

        @Override
        public void head(Node node, int depth) {
            if (node instanceof Element e) {
                String tag = e.normalName();
                if (HIDDEN.contains(tag)) {
                    hiddenDepth++;
                } else if (hiddenDepth == 0 && BLOCKS.contains(tag)) {
                    out.append('\n');
                }
                if (tag.equals("pre")) {
                    preDepth++;
                }
            } else if (node instanceof TextNode t && hiddenDepth == 0) {
                if (preDepth > 0) {
                    out.append(t.getWholeText());
                } else {
                    appendCollapsed(t.getWholeText());
                }
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (node instanceof Element e) {
                String tag = e.normalName();
                if (HIDDEN.contains(tag)) {
                    hiddenDepth--;
                } else if (hiddenDepth == 0 && BLOCKS.contains(tag)) {
                    out.append('\n');
                } else if (hiddenDepth == 0 && (tag.equals("td") || tag.equals("th"))) {
                    out.append(' ');
                }
                if (tag.equals("pre")) {
                    preDepth--;
                }
            }
        }

        private void appendCollapsed(String s) {
            boolean space = out.isEmpty() || isSpace(out.charAt(out.length() - 1));
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (isSpace(c)) {
                    if (!space) {
                        out.append(' ');
                        space = true;
                    }
                } else {
                    out.append(c);
                    space = false;
                }
            }
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == 0xa0 || c == 0x0b;
    }

    /** Strips every line and drops the empty ones. */
    private static String tidy(CharSequence raw) {
        StringBuilder out = new StringBuilder(raw.length());
        int start = 0;
        for (int i = 0; i <= raw.length(); i++) {
            if (i == raw.length() || raw.charAt(i) == '\n') {
                String line = PythonText.strip(raw.subSequence(start, i).toString());
                if (!line.isEmpty()) {
                    if (!out.isEmpty()) {
                        out.append('\n');
                    }
                    out.append(line);
                }
                start = i + 1;
            }
        }
        return out.toString();
    }
}
