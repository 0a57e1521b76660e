package dev.cria.data.source.wikipedia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.data.Document;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaWikiDumpTest {

    private static List<Document> read(String name, MediaWikiDump.Report[] report) throws IOException {
        List<Document> docs = new ArrayList<>();
        report[0] = MediaWikiDump.read(SharedData.file("samples/wikipedia_xml/" + name), docs::add);
        return docs;
    }

    @Test
    void noWikitextMarkupIsLeftInTheEnglishExcerpt() throws IOException {
        MediaWikiDump.Report[] report = new MediaWikiDump.Report[1];
        List<Document> docs = read("enwiki-pages-articles1-shortened.xml.bz2", report);
        assertNull(report[0].error());
        assertEquals(206, report[0].pages());
        assertTrue(docs.size() > 50, "articles: " + docs.size());
        for (Document d : docs) {
            assertFalse(WikitextCleaner.hasMarkup(d.text()), d.meta().get("title") + " keeps markup: " + d.text());
            assertEquals("en", d.meta().get("language"));
        }
    }

    @Test
    void tablesAreRemovedFromTableHeavyPages() throws IOException {
        MediaWikiDump.Report[] report = new MediaWikiDump.Report[1];
        for (Document d : read("enwiki-table-markup.xml.bz2", report)) {
            assertFalse(WikitextCleaner.hasMarkup(d.text()), d.meta().get("title") + ": " + d.text());
            assertFalse(d.text().contains("|-"), "table row markup in " + d.meta().get("title"));
        }
    }

    @Test
    void aUtf16BulgarianDumpReadsWithItsLocalizedNamespaces() throws IOException {
        MediaWikiDump.Report[] report = new MediaWikiDump.Report[1];
        List<Document> docs = read("bgwiki-pages-articles-shortened.xml.bz2", report);
        assertNull(report[0].error());
        assertTrue(docs.size() > 0);
        for (Document d : docs) {
            assertEquals("bg", d.meta().get("language"));
            assertFalse(WikitextCleaner.hasMarkup(d.text()), d.meta().get("title") + ": " + d.text());
            assertTrue(d.text().codePoints().anyMatch(c -> Character.UnicodeBlock.of(c) == Character.UnicodeBlock.CYRILLIC));
        }
    }

    @Test
    void redirectsAreSkippedAndHeadingsKeepTheirTitles() throws IOException {
        MediaWikiDump.Report[] report = new MediaWikiDump.Report[1];
        List<Document> docs = read("tinywiki-pages-articles.xml", report);
        assertEquals(1, report[0].redirects());
        Document hello = docs.get(0);
        assertEquals("Hello", hello.meta().get("title"));
        assertEquals("hello this is wikitext\n\nThe header\nand some arbitrary text\n\n$Table.isfun", hello.text());
        assertEquals("https://ltg.wikipedia.org/wiki/Hello", hello.meta().get("url"));
    }

    @Test
    void aDumpCutOffMidPageKeepsTheEarlierPagesAndNamesWhereItBroke(@TempDir Path dir) throws IOException {
        String xml = Files.readString(SharedData.file("samples/wikipedia_xml/tinywiki-pages-articles.xml"), StandardCharsets.UTF_8);
        Path cut = dir.resolve("cut.xml");
        Files.writeString(cut, xml.substring(0, xml.indexOf("<title>Duplicate title</title>") + 40));
        List<Document> docs = new ArrayList<>();
        MediaWikiDump.Report report = MediaWikiDump.read(cut, docs::add);
        assertNotNull(report.error());
        assertTrue(report.error().contains("truncated XML at line"), report.error());
        assertEquals(2, docs.size());
    }

    @Test
    void linksFormattingTemplatesRefsAndFilesBecomePlainText() {
        WikitextCleaner c = new WikitextCleaner();
        assertEquals("Paris is the capital of France.",
                c.clean("'''Paris''' is the [[capital city|capital]] of [[France]].<ref name=\"x\">{{cite web|url=x}}</ref>"
                        + "{{Infobox|a=[[b]]}}[[File:Paris.jpg|thumb|The [[Eiffel Tower]]]]"));
        assertEquals("See the site.", c.clean("See [https://example.org the site].[https://example.org]"));
        assertEquals("Cities", c.clean("[[Category:Cities]]"));
        assertEquals("A list\nitem one\nitem two", c.clean("A list\n* item one\n** item two\n__NOTOC__"));
    }
}
