package dev.cria.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.data.Document;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WET parsing as DATA-RULES §2.2 (CCNet) and §3.1 step 1 (C4) describe it, on the real samples. */
class WetReaderTest {

    @TempDir
    Path tmp;

    @Test
    void readsCcnetsOwnTestWetWithTheOlderHeaderLayout() throws IOException {
        ReadAll r = ReadAll.wet(SharedData.file("samples/cc_wet/ccnet_sample.warc.wet.txt"), WetText.CCNET);
        assertEquals(3, r.documents().size());
        assertEquals(4, r.report().records());
        assertEquals(Map.of("warc_type_warcinfo", 1L), r.report().skipped());
        assertEquals(0, r.report().badCount());
        Document en = r.documents().getFirst();
        assertEquals("<urn:uuid:cd61b0b3-d9b0-466c-9a5e-99c191f8d2e1>", en.id());
        assertEquals("http://sample_english.com", en.meta().get("url"));
        assertEquals("2019-03-18T00:00:00Z", en.meta().get("date_download"));
        assertEquals("sha1:XQZHW7QWIG54HVAV3KPRW6MK5ILDNCER", en.meta().get("digest"));
        assertEquals(353L, en.meta().get("length"));
        assertEquals("sample_english.com", en.meta().get("source_domain"));
        // The first body line is the title; the empty line inside the body is dropped, so 4 lines remain.
        assertEquals("Famous Mark Twain Quotes", en.meta().get("title"));
        assertEquals(4, en.meta().get("nlines"));
        assertEquals("""
                Don't part with your illusions. When they are gone you may still exist, but you have ceased to live.
                Education: that which reveals to the wise, and conceals from the stupid, the vast limits of their knowledge.
                Facts are stubborn things, but statistics are more pliable.
                Fiction is obliged to stick to possibilities. Truth isn't.""", en.text());
        assertEquals(List.of("http://sample_english.com", "http://sample_chinese.zh", "http://sample_russian.ru"),
                r.documents().stream().map(d -> d.meta().get("url")).toList());
    }

    @Test
    void readsTheNewerLayoutByHeaderNameNotPosition() throws IOException {
        ReadAll r = ReadAll.wet(SharedData.file("samples/cc_wet/whirlwind.warc.wet"), WetText.CCNET);
        assertEquals(1, r.documents().size());
        Document d = r.documents().getFirst();
        // By position (CCNet) line 8 would be Content-Type here; by name we get the length.
        assertEquals(4456L, d.meta().get("length"));
        assertEquals("https://an.wikipedia.org/wiki/Escopete", d.meta().get("url"));
        assertEquals("sha1:RDTSR52RUHWDA7QK4BK7OUHU3EXTXYUL", d.meta().get("digest"));
        assertEquals("spa", d.meta().get("cc_content_language"));
        assertEquals("Escopete - Biquipedia, a enciclopedia libre", d.meta().get("title"));
        assertTrue(d.text().startsWith("Ir al contenido\nMenú principal\nMenú principal\n"), d.text());
        assertFalse(d.text().contains("\r"));
    }

    @Test
    void gzipPerRecordGivesTheSameDocumentsAsThePlainFile() throws IOException {
        ReadAll plain = ReadAll.wet(SharedData.file("samples/cc_wet/whirlwind.warc.wet"), WetText.CCNET);
        ReadAll gz = ReadAll.wet(SharedData.file("samples/cc_wet/whirlwind.warc.wet.gz"), WetText.CCNET);
        assertEquals(plain.documents().size(), gz.documents().size());
        assertEquals(plain.documents().getFirst().text(), gz.documents().getFirst().text());
        assertEquals(plain.documents().getFirst().meta().get("url"), gz.documents().getFirst().meta().get("url"));
    }

    @Test
    void countsAGzipMemberCutShortAsTruncatedAndKeepsWhatCameBefore() throws IOException {
        byte[] whole = Files.readAllBytes(SharedData.file("samples/cc_wet/whirlwind.warc.wet.gz"));
        // The first gzip member (warcinfo) ends at byte 466; cut the second one in its middle.
        Path cut = tmp.resolve("cut.warc.wet.gz");
        Files.write(cut, Arrays.copyOf(whole, 2000));
        ReadAll r = ReadAll.wet(cut, WetText.CCNET);
        assertEquals(0, r.documents().size());
        assertEquals(Map.of("truncated", 1L), r.report().badByKind());
        assertEquals(Map.of("warc_type_warcinfo", 1L), r.report().skipped());
        BadRecord bad = r.report().badExamples().getFirst();
        assertEquals(cut.toString(), bad.file());
        assertTrue(bad.position() > 0, "the truncated record starts after the warcinfo record");
    }

    @Test
    void countsBadHeadersAndGoesOnWithTheNextRecord() throws IOException {
        String good = "WARC/1.0\nWARC-Type: conversion\nWARC-Target-URI: http://a.example/x\nContent-Length: 5\n\nTitle\nbody text\n\n";
        String noType = "WARC/1.0\nWARC-Target-URI: http://b.example/\n\nTitle\nlost\n\n";
        String noUri = "WARC/1.0\nWARC-Type: conversion\n\nTitle\nlost too\n\n";
        String endsInHeader = "WARC/1.0\nWARC-Type: conversion\nWARC-Target-URI: http://c.example/\n";
        Path f = tmp.resolve("bad.wet");
        Files.writeString(f, good + noType + noUri + good + endsInHeader, StandardCharsets.UTF_8);
        ReadAll r = ReadAll.wet(f, WetText.CCNET);
        assertEquals(2, r.documents().size());
        assertEquals(Map.of("bad_header", 2L, "truncated", 1L), r.report().badByKind());
        assertEquals(5, r.report().records());
        int noTypeAt = good.length();
        assertEquals(noTypeAt, r.report().badExamples().getFirst().position());
        assertEquals("byte", r.report().badExamples().getFirst().positionUnit());
        assertEquals("body text", r.documents().getFirst().text());
    }

    @Test
    void c4ModeKeepsTheTitleLineAndReadsEveryFakePage() throws IOException {
        ReadAll r0 = ReadAll.wet(SharedData.file("samples/c4_fake_wet/cc_0.warc.wet"), WetText.C4);
        ReadAll r1 = ReadAll.wet(SharedData.file("samples/c4_fake_wet/cc_1.warc.wet"), WetText.C4);
        assertEquals(List.of("http://fake.com/url/1", "http://fake.com/url/2", "http://fake.com/url/de", "http://fake.com/url/de-786",
                "http://fake.com/url/und", "http://fake.com/url/und-27"), r0.documents().stream().map(d -> d.meta().get("url")).toList());
        assertEquals(List.of("http://fake.com/url/370", "http://fake.com/url/4", "http://fake.com/url/1"),
                r1.documents().stream().map(d -> d.meta().get("url")).toList());
        // C4 keeps the first body line (CCNet would take it as the title).
        assertEquals("This is another fake webpage, but it's not long enough.", r0.documents().get(1).text());
        assertTrue(r1.documents().get(2).text().endsWith("One more sentence to make this long enough."));
        assertEquals(0, r0.report().badCount() + r1.report().badCount());
    }

    @Test
    void slicesTileAFileAndGiveEveryRecordOnce() throws IOException {
        Path f = tmp.resolve("all.warc.wet");
        try (var out = Files.newOutputStream(f)) {
            for (String name : List.of("cc_wet/ccnet_sample.warc.wet.txt", "c4_fake_wet/cc_0.warc.wet", "cc_wet/whirlwind.warc.wet",
                    "c4_fake_wet/cc_1.warc.wet")) {
                out.write(Files.readAllBytes(SharedData.file("samples/" + name)));
                out.write('\n');
            }
        }
        ReadAll whole = ReadAll.wet(f, WetText.CCNET);
        assertEquals(13, whole.documents().size());
        long size = Files.size(f);
        for (long slice : new long[] {97, 500, 1234, 4096, size}) {
            List<Document> docs = new java.util.ArrayList<>();
            long records = 0;
            for (long start = 0; start < size; start += slice) {
                ReadAll part = ReadAll.of(new WetReader(f, "cc", WetText.CCNET, start, Math.min(size, start + slice)));
                docs.addAll(part.documents());
                records += part.report().records();
                assertEquals(0, part.report().badCount(), "slice at " + start + " of " + slice);
            }
            assertEquals(whole.documents(), docs, "slices of " + slice + " bytes");
            assertEquals(whole.report().records(), records);
        }
    }

    @Test
    void c4ModeDropsMetadataLookingLinesInsideTheBody() throws IOException {
        Path f = tmp.resolve("c4.wet");
        Files.writeString(f, "WARC/1.0\nWARC-Type: conversion\nWARC-Target-URI: http://x.example/\n\n"
                + "Title line\n  Content-Length: 12  \nWARC-ish line\nkept line.\n\n");
        ReadAll r = ReadAll.wet(f, WetText.C4);
        assertEquals("Title line\nkept line.", r.documents().getFirst().text());
    }
}
