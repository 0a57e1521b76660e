package dev.cria.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.data.Document;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** WARC responses to text, on the real samples and warcio's edge cases. */
class WarcHtmlReaderTest {

    @Test
    void readsEveryCrawledPageOfTheDolmaWarcs() throws IOException {
        // The samples are wget crawls of 22 and 15 pages (README of ../shared/data).
        assertEquals(22, ReadAll.warc(SharedData.file("samples/warc_html/dolma_sample-0000.warc.gz")).documents().size());
        assertEquals(15, ReadAll.warc(SharedData.file("samples/warc_html/dolma_sample-0001.warc.gz")).documents().size());
    }

    @Test
    void undoesChunkedTransferEncoding() throws IOException {
        ReadAll r = ReadAll.warc(SharedData.file("samples/warc_edge/warcio_example-iana.org-chunked.warc"));
        assertEquals(1, r.documents().size());
        Document d = r.documents().getFirst();
        assertEquals("http://www.iana.org/", d.meta().get("url"));
        assertEquals("Internet Assigned Numbers Authority", d.meta().get("title"));
        assertTrue(d.text().contains("The global coordination of the DNS Root, IP addressing"), d.text());
        // No chunk-size lines and no markup in the text.
        assertFalse(d.text().contains("<"), d.text());
        assertFalse(d.text().lines().anyMatch(l -> l.matches("[0-9a-fA-F]{1,8}")), d.text());
    }

    @Test
    void undoesGzipContentEncodingAndSkipsRequestsAndRevisits() throws IOException {
        ReadAll r = ReadAll.warc(SharedData.file("samples/warc_edge/warcio_example.warc.gz"));
        assertEquals(1, r.documents().size());
        Document d = r.documents().getFirst();
        assertEquals("http://example.com/", d.meta().get("url"));
        assertEquals("Example Domain", d.meta().get("title"));
        assertTrue(d.text().startsWith("Example Domain\nThis domain is established to be used for illustrative examples"), d.text());
        assertEquals(Map.of("warc_type_request", 2L, "warc_type_revisit", 1L, "warc_type_warcinfo", 2L), r.report().skipped());
    }

    @Test
    void readsATargetUriWrittenInAngleBrackets() throws IOException {
        ReadAll r = ReadAll.warc(SharedData.file("samples/warc_edge/warcio_example-wget-bad-target-uri.warc.gz"));
        assertEquals(1, r.documents().size());
        assertEquals("http://example.com/", r.documents().getFirst().meta().get("url"));
        assertEquals(0, r.report().badCount());
    }

    @Test
    void countsATruncatedPayloadAndTheUnframableRestWithoutThrowing() throws IOException {
        ReadAll r = ReadAll.warc(SharedData.file("samples/warc_edge/warcio_example-trunc.warc"));
        assertEquals(0, r.documents().size());
        assertEquals(1L, r.report().badByKind().get("truncated"));
        BadRecord first = r.report().badExamples().getFirst();
        assertEquals("truncated", first.kind());
        assertTrue(first.file().endsWith("warcio_example-trunc.warc"));
        assertTrue(first.position() > 0);
    }

    @Test
    void readsTheCommonCrawlWarcExcerpts() throws IOException {
        ReadAll whirlwind = ReadAll.warc(SharedData.file("samples/cc_warc/whirlwind.warc.gz"));
        assertEquals(1, whirlwind.documents().size());
        assertEquals("https://an.wikipedia.org/wiki/Escopete", whirlwind.documents().getFirst().meta().get("url"));
        assertTrue(whirlwind.documents().getFirst().text().contains("Escopete"));
        ReadAll resiliparse = ReadAll.warc(SharedData.file("samples/cc_warc/resiliparse_CC-MAIN-2020-34_excerpt.warc.gz"));
        assertEquals(50, resiliparse.report().records());
        assertEquals(16, resiliparse.documents().size());
        assertEquals(Map.of("warc_type_metadata", 16L, "warc_type_request", 17L, "warc_type_warcinfo", 1L), resiliparse.report().skipped());
        assertEquals(1, ReadAll.warc(SharedData.file("samples/cc_warc/jwarc_cc.warc.gz")).documents().size());
    }
}
