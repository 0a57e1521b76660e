package dev.cria.data.source.wikipedia;

import dev.cria.data.Document;
import dev.cria.data.read.BadRecord;
import dev.cria.data.read.DocumentReader;
import dev.cria.data.read.ReadReport;
import dev.cria.data.source.MeteredInputStream;
import dev.cria.data.source.SourceReader;
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
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Streams the articles of a MediaWiki export ({@code pages-articles}, plain or bz2, multistream included) one page at
 * a time, never holding the dump in memory (DATA-RULES §5): pages of namespace 0 only, redirects (a {@code <redirect>}
 * element or text starting with {@code #REDIRECT}) and empty pages skipped, wikitext cleaned with the wiki's own names
 * for the file and category namespaces. The XML declaration decides the encoding (UTF-16 dumps read as well as UTF-8).
 * A dump whose language is not among {@code languages} gives no documents and is counted as skipped
 * ({@code language_not_selected_XX}); a dump cut off mid-page ends with one {@code truncated} bad record after the
 * last complete page.
 */
public final class MediaWikiReader implements DocumentReader, SourceReader {

    /** LLaMA's 20 Wikipedia languages (DATA-RULES §1, §5). */
    public static final Set<String> LLAMA_LANGUAGES = Set.of("bg", "ca", "cs", "da", "de", "en", "es", "fr", "hr", "hu",
            "it", "nl", "pl", "pt", "ro", "ru", "sl", "sr", "sv", "uk");

    private final String file;
    private final String source;
    private final Set<String> languages;
    private final InputStream raw;
    private final MeteredInputStream counted;
    private final XMLStreamReader xml;
    private final ReadReport report = new ReadReport();
    private final Set<String> media = new HashSet<>();
    private final Set<String> category = new HashSet<>();
    private String language;
    private String base;
    private WikitextCleaner cleaner;
    private boolean done;
    private long pages;
    private long redirects;
    private long otherNamespaces;
    private long empty;

    /**
     * @param languages the wiki languages to read (codes as in {@code xml:lang}, e.g. {@code en}); null reads any
     */
    public MediaWikiReader(Path dump, String source, Set<String> languages) throws IOException {
        this.file = dump.toString();
        this.source = source;
        this.languages = languages;
        counted = new MeteredInputStream(Files.newInputStream(dump));
        InputStream buffered = new BufferedInputStream(counted, 1 << 16);
        try {
            raw = file.endsWith(".bz2") ? new BZip2CompressorInputStream(buffered, true) : buffered;
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            xml = factory.createXMLStreamReader(raw);
        } catch (IOException | XMLStreamException e) {
            buffered.close();
            throw new IOException(file + ": not a MediaWiki XML dump: " + e.getMessage(), e);
        }
    }

    /** Reads every language. */
    public MediaWikiReader(Path dump, String source) throws IOException {
        this(dump, source, null);
    }

    @Override
    public Document next() throws IOException {
        if (done) {
            return null;
        }
        String title = null;
        String ns = null;
        String id = null;
        String timestamp = null;
        String text = null;
        boolean redirect = false;
        boolean inRevision = false;
        boolean inPage = false;
        try {
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (xml.getLocalName()) {
                        case "mediawiki" -> language = xml.getAttributeValue("http://www.w3.org/XML/1998/namespace", "lang");
                        case "base" -> base = xml.getElementText();
                        case "namespace" -> namespace(xml.getAttributeValue(null, "key"), xml.getElementText());
                        case "page" -> {
                            if (!languageSelected()) {
                                // The language is known from the header: one clear skip for the whole dump.
                                report.skip("language_not_selected_" + languageOrUnknown());
                                done = true;
                                return null;
                            }
                            inPage = true;
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
                        inPage = false;
                        Document d = page(title, ns, id, timestamp, text, redirect);
                        if (d != null) {
                            return d;
                        }
                    }
                }
            }
            done = true;
            return null;
        } catch (XMLStreamException e) {
            done = true;
            var loc = e.getLocation();
            long line = loc == null ? -1 : loc.getLineNumber();
            report.record();
            report.bad(new BadRecord(file, line, "line", "truncated", "malformed or truncated XML at line " + line
                    + (inPage ? ", inside a page," : "") + " after " + pages + " complete pages: " + e.getMessage()));
            return null;
        }
    }

    private boolean languageSelected() {
        return languages == null || languages.contains(languageOrUnknown());
    }

    private String languageOrUnknown() {
        if (language != null && !language.isBlank()) {
            return language;
        }
        if (base == null) {
            return "und";
        }
        String host = URI.create(base.strip()).getHost();
        return host == null ? "und" : host.substring(0, host.indexOf('.') < 0 ? host.length() : host.indexOf('.'));
    }

    private void namespace(String key, String name) {
        String nsName = name.strip().toLowerCase(Locale.ROOT);
        if (nsName.isEmpty()) {
            return;
        }
        if ("6".equals(key) || "-2".equals(key)) {
            media.add(nsName);
        } else if ("14".equals(key)) {
            category.add(nsName);
        }
    }

    private Document page(String title, String ns, String id, String timestamp, String text, boolean redirect) {
        pages++;
        report.record();
        if (!"0".equals(ns)) {
            otherNamespaces++;
            report.skip("namespace_not_0");
            return null;
        }
        if (redirect || (text != null && text.stripLeading().toLowerCase(Locale.ROOT).startsWith("#redirect"))) {
            redirects++;
            report.skip("redirect");
            return null;
        }
        if (cleaner == null) {
            cleaner = new WikitextCleaner(media, category);
        }
        String cleaned = text == null ? "" : cleaner.clean(text);
        if (cleaned.isEmpty()) {
            empty++;
            report.skip("empty");
            return null;
        }
        String lang = languageOrUnknown();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("title", title);
        meta.put("url", "https://" + (base == null ? lang + ".wikipedia.org" : URI.create(base.strip()).getHost()) + "/wiki/"
                + (title == null ? "" : title.replace(' ', '_')));
        meta.put("language", lang);
        meta.put("timestamp", timestamp);
        report.document();
        return new Document(lang + "/" + id, cleaned, source, meta);
    }

    /** Pages seen, and of them redirects, pages outside namespace 0 and pages empty after cleaning. */
    MediaWikiDump.Report summary() {
        BadRecord bad = report.badExamples().isEmpty() ? null : report.badExamples().getFirst();
        return new MediaWikiDump.Report(pages, report.documents(), redirects, otherNamespaces, empty,
                bad == null ? null : bad.describe());
    }

    @Override
    public ReadReport report() {
        return report;
    }

    @Override
    public long bytesRead() {
        return counted.count();
    }

    @Override
    public void close() throws IOException {
        try {
            xml.close();
        } catch (XMLStreamException e) {
            // the stream underneath is closed next, which is what matters
        }
        raw.close();
    }
}
