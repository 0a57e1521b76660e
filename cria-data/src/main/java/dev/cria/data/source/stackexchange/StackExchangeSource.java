package dev.cria.data.source.stackexchange;

import dev.cria.data.Document;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * One StackExchange site's {@code Posts.xml} as documents, following RedPajama (DATA-RULES §8): rows with a
 * {@code ParentId} are answers to that question; a question with answers becomes {@code Q: title body} followed by
 * {@code A: answer} lines in descending score order; a question without answers is kept when it has a title (tag
 * wikis have none). The file is streamed with StAX; both the 2015 and the 2023 dump schemas read the same way.
 */
public final class StackExchangeSource {

    /** How answers are ordered by score. */
    public enum ScoreOrder {
        /** Highest score first, numerically (the default). */
        NUMERIC,
        /** RedPajama's order: scores compared as strings, so "9" comes before "10". */
        STRING
    }

    /** @param answersWithoutQuestion answers whose question is not in the file (counted, not emitted) */
    public record Site(List<Document> documents, int answersWithoutQuestion) {
    }

    private record Post(String id, String title, String body, String score) {
    }

    private StackExchangeSource() {
    }

    /**
     * @param site the site's host name, e.g. {@code coffee.stackexchange.com}, used for ids and URLs
     */
    public static Site read(Path postsXml, String site, ScoreOrder order) throws IOException {
        Map<String, Post> questions = new LinkedHashMap<>();
        Map<String, List<Post>> answers = new LinkedHashMap<>();
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try (InputStream in = Files.newInputStream(postsXml)) {
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            try {
                while (xml.hasNext()) {
                    if (xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("row")) {
                        Post post = new Post(xml.getAttributeValue(null, "Id"), xml.getAttributeValue(null, "Title"),
                                orEmpty(xml.getAttributeValue(null, "Body")), orEmpty(xml.getAttributeValue(null, "Score")));
                        String parent = xml.getAttributeValue(null, "ParentId");
                        if (parent != null) {
                            answers.computeIfAbsent(parent, p -> new ArrayList<>()).add(post);
                        } else {
                            questions.put(post.id(), post);
                        }
                    }
                }
            } finally {
                xml.close();
            }
        } catch (XMLStreamException e) {
            var loc = e.getLocation();
            throw new IOException(postsXml + ": malformed XML" + (loc == null ? "" : " at line " + loc.getLineNumber()
                    + ", column " + loc.getColumnNumber()) + ": " + e.getMessage(), e);
        }
        Comparator<Post> byScore = order == ScoreOrder.NUMERIC
                ? Comparator.comparingLong((Post p) -> parseScore(p.score())).reversed()
                : Comparator.comparing(Post::score).reversed();
        List<Document> documents = new ArrayList<>();
        for (Post q : questions.values()) {
            List<Post> replies = answers.getOrDefault(q.id(), List.of());
            if (replies.isEmpty() && q.title() == null) {
                continue;
            }
            StringBuilder text = new StringBuilder("Q: ")
                    .append(StackExchangeHtml.toText((q.title() == null ? "" : q.title()) + " " + q.body()));
            List<Post> sorted = new ArrayList<>(replies);
            sorted.sort(byScore);
            for (Post a : sorted) {
                text.append("\nA: ").append(StackExchangeHtml.toText(a.body()));
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("url", "https://" + site + "/questions/" + q.id());
            meta.put("question_score", q.score());
            meta.put("site", site);
            documents.add(new Document(site + "/" + q.id(), text.toString(), "stackexchange", meta));
        }
        int orphans = 0;
        for (var e : answers.entrySet()) {
            if (!questions.containsKey(e.getKey())) {
                orphans += e.getValue().size();
            }
        }
        return new Site(documents, orphans);
    }

    private static long parseScore(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** RedPajama's site size: lines of Posts.xml minus the 3 lines of header and footer. */
    public static long size(Path postsXml) throws IOException {
        try (var lines = Files.lines(postsXml)) {
            return Math.max(0, lines.count() - 3);
        }
    }

    /** The {@code n} largest sites, largest first (ties by path). */
    public static List<Path> largest(List<Path> postsFiles, int n) throws IOException {
        Map<Path, Long> sizes = new LinkedHashMap<>();
        for (Path p : postsFiles) {
            sizes.put(p, size(p));
        }
        return sizes.entrySet().stream()
                .sorted(Map.Entry.<Path, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n).map(Map.Entry::getKey).toList();
    }
}
