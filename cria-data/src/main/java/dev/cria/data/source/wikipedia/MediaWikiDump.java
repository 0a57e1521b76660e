package dev.cria.data.source.wikipedia;

import dev.cria.data.Document;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Streams the articles of a MediaWiki export ({@code pages-articles}, plain or bz2, multistream included) as
 * documents, never holding the dump in memory (DATA-RULES §5): pages of namespace 0 only, redirects (a
 * {@code <redirect>} element or text starting with {@code #REDIRECT}) and empty pages skipped, wikitext cleaned with
 * the wiki's own names for the file and category namespaces. The XML declaration decides the encoding (UTF-16 dumps
 * read as well as UTF-8). A dump cut off mid-page ends the stream with the error recorded in the report.
 */
public final class MediaWikiDump {

    /** Counts of what the dump held; {@code error} names the position of a malformed or truncated dump, or is null. */
    public record Report(long pages, long articles, long redirects, long otherNamespaces, long empty, String error) {
    }

    private MediaWikiDump() {
    }

    public static Report read(Path dump, Consumer<Document> sink) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(dump), 1 << 16)) {
            InputStream in = dump.toString().endsWith(".bz2") ? new BZip2CompressorInputStream(raw, true) : raw;
            return read(dump.toString(), in, sink);
        }
    }

    static Report read(String name, InputStream in, Consumer<Document> sink) throws IOException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        long pages = 0, articles = 0, redirects = 0, other = 0, empty = 0;
        String language = null;
        String base = null;
        Set<String> media = new HashSet<>();
        Set<String> category = new HashSet<>();
        WikitextCleaner cleaner = null;
        XMLStreamReader xml = null;
        try {
            xml = factory.createXMLStreamReader(in);
            String title = null, ns = null, id = null, timestamp = null, text = null;
            boolean redirect = false;
            boolean inRevision = false;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (xml.getLocalName()) {
                        case "mediawiki" -> language = xml.getAttributeValue("http://www.w3.org/XML/1998/namespace", "lang");
                        case "base" -> base = xml.getElementText();
                        case "namespace" -> {
                            String key = xml.getAttributeValue(null, "key");
                            String nsName = xml.getElementText().strip().toLowerCase(Locale.ROOT);
                            if (("6".equals(key) || "-2".equals(key)) && !nsName.isEmpty()) {
                                media.add(nsName);
                            } else if ("14".equals(key) && !nsName.isEmpty()) {
                                category.add(nsName);
                            }
                        }
                        case "page" -> {
                            title = ns = id = timestamp = text = null;
                            redirect = false;
                        }
                        case "title" -> title = xml.getElementText();
                        case "ns" -> ns = xml.getElementText().strip();
                        case "id" -> {
                            String value = xml.getElementText().strip();
                            if (!inRevision && id == null) {
                                id = value;
                            }
                        }
                        case "redirect" -> redirect = true;
                        case "revision" -> inRevision = true;
                        case "timestamp" -> timestamp = xml.getElementText().strip();
                        case "text" -> text = xml.getElementText();
                        default -> { }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    if (xml.getLocalName().equals("revision")) {
                        inRevision = false;
                    } else if (xml.getLocalName().equals("page")) {
                        pages++;
                        if (!"0".equals(ns)) {
                            other++;
                        } else if (redirect || (text != null && text.stripLeading().toLowerCase(Locale.ROOT).startsWith("#redirect"))) {
                            redirects++;
                        } else {
                            if (cleaner == null) {
                                cleaner = new WikitextCleaner(media, category);
                            }
                            String cleaned = text == null ? "" : cleaner.clean(text);
                            if (cleaned.isEmpty()) {
                                empty++;
                            } else {
                                articles++;
                                String lang = language != null ? language : languageOf(base);
                                Map<String, Object> meta = new LinkedHashMap<>();
                                meta.put("title", title);
                                meta.put("url", urlOf(base, lang, title));
                                meta.put("language", lang);
                                meta.put("timestamp", timestamp);
                                sink.accept(new Document(lang + "/" + id, cleaned, "wikipedia", meta));
                            }
                        }
                    }
                }
            }
            return new Report(pages, articles, redirects, other, empty, null);
        } catch (XMLStreamException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNumber() + ", column " + loc.getColumnNumber();
            return new Report(pages, articles, redirects, other, empty, name + ": malformed or truncated XML" + where
                    + " after " + pages + " pages: " + e.getMessage());
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // the stream itself is closed by the caller
                }
            }
        }
    }

    private static String languageOf(String base) {
        if (base == null) {
            return "und";
        }
        String host = URI.create(base.strip()).getHost();
        return host == null ? "und" : host.substring(0, host.indexOf('.') < 0 ? host.length() : host.indexOf('.'));
    }

    private static String urlOf(String base, String lang, String title) {
        String host = base == null ? lang + ".wikipedia.org" : URI.create(base.strip()).getHost();
        return "https://" + host + "/wiki/" + (title == null ? "" : title.replace(' ', '_'));
    }
}
