package dev.cria.data.source.stackexchange;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * RedPajama's HTML cleanup of posts (DATA-RULES §8): list items and ordered lists start a {@code *} line, then the
 * text of every text node is concatenated as BeautifulSoup's {@code get_text()} does — no separators added, the
 * whitespace inside the text kept, entities decoded.
 */
final class StackExchangeHtml {

    private StackExchangeHtml() {
    }

    static String toText(String html) {
        String prepared = html.replace("<li>", "\n*").replace("<ol>", "\n*").replace("</li>", "").replace("</ol>", "");
        StringBuilder out = new StringBuilder(prepared.length());
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode text) {
                    out.append(text.getWholeText());
                }
            }
        }, Jsoup.parseBodyFragment(prepared).body());
        return out.toString();
    }
}
