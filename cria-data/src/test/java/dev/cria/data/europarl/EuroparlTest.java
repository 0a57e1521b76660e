package dev.cria.data.europarl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Facts below were read from the file with zcat, cut and Python's re.split, not with this reader. */
class EuroparlTest {

    @TempDir
    Path dir;

    @Test
    void embeddedCorpusHas17597DocumentsAnd56187Paragraphs() throws IOException {
        int documents = 0;
        int paragraphs = 0;
        String firstDate = null;
        try (Stream<EuroparlDocument> stream = Europarl.open().stream()) {
            for (EuroparlDocument doc : (Iterable<EuroparlDocument>) stream::iterator) {
                documents++;
                assertEquals(documents, doc.lineNumber());
                paragraphs += doc.paragraphs().size();
                if (firstDate == null) {
                    firstDate = doc.date();
                }
            }
        }
        assertEquals(17_597, documents);
        assertEquals(Europarl.DOCUMENT_COUNT, documents);
        assertEquals(56_187, paragraphs);
        assertEquals("2004-03-30", firstDate);
    }

    @Test
    void readsKnownFieldsOfFirstThousandthAndLastLines() throws IOException {
        List<EuroparlDocument> all;
        try (Europarl europarl = Europarl.open()) {
            all = europarl.stream().toList();
        }
        EuroparlDocument first = all.getFirst();
        assertEquals(1, first.lineNumber());
        assertEquals("(1)", first.title());
        assertEquals("2004-03-30", first.date());
        assertTrue(first.body().startsWith("Istituzioni europee proteggerlo in tutti i campi.   Invitiamo dunque"));

        EuroparlDocument thousandth = all.get(999);
        assertEquals("Åbning af den årlige session", thousandth.title());
        assertEquals("2002-03-12", thousandth.date());
        assertEquals(1333, thousandth.body().length());

        EuroparlDocument last = all.getLast();
        assertEquals(17_597, last.lineNumber());
        assertEquals("EU:n ja Kuuban suhteet", last.title());
        assertEquals("2003-09-03", last.date());
        assertTrue(last.body().endsWith("tutkimus"));
    }

    @Test
    void splitsParagraphsOnRunsOfThreeOrMoreSpaces() throws IOException {
        EuroparlDocument first;
        try (Europarl europarl = Europarl.open()) {
            first = europarl.iterator().next();
        }
        List<String> paragraphs = first.paragraphs();
        assertEquals(5, paragraphs.size());
        assertEquals("Istituzioni europee proteggerlo in tutti i campi.", paragraphs.get(0));
        assertTrue(paragraphs.get(1).startsWith("Invitiamo dunque la Commissione a sottoporre nuove proposte "));
        assertTrue(paragraphs.get(1).endsWith("nei settori diversi dal lavoro."));
        assertTrue(paragraphs.get(2).startsWith("La direttiva in esame sulle pari opportunità tra uomo e donn"));
        assertTrue(paragraphs.get(4).endsWith("calcolano i premi in modo"));

        EuroparlDocument made = new EuroparlDocument(1, "t", "d", "  one  two   three\t four     ");
        assertEquals(List.of("one  two", "three\t four"), made.paragraphs());
        assertEquals(List.of(), new EuroparlDocument(1, "t", "d", "      ").paragraphs());
    }

    @Test
    void readsPlainAndGzipFilesAndDropsCarriageReturns() throws IOException {
        String text = "A\t2001-01-01\tone   two\r\nB\t2002-02-02\t\n";
        Path plain = Files.writeString(dir.resolve("plain.txt"), text);
        Path gzip = dir.resolve("compressed.data");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        Files.write(gzip, bytes.toByteArray());
        for (Path file : List.of(plain, gzip)) {
            try (Europarl europarl = Europarl.open(file)) {
                List<EuroparlDocument> docs = europarl.stream().toList();
                assertEquals(List.of(new EuroparlDocument(1, "A", "2001-01-01", "one   two"),
                        new EuroparlDocument(2, "B", "2002-02-02", "")), docs);
            }
        }
    }

    @Test
    void rejectsALineWithoutThreeFieldsNamingLineAndOffset() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.txt"), "A\t2001-01-01\tfine\nB\t2002-02-02 no second tab\n");
        try (Europarl europarl = Europarl.open(file)) {
            var docs = europarl.iterator();
            assertEquals("A", docs.next().title());
            EuroparlFormatException e = assertThrows(EuroparlFormatException.class, docs::next);
            assertEquals(2, e.lineNumber());
            assertEquals(18, e.byteOffset());
            assertTrue(e.getMessage().contains("bad.txt: line 2 (byte offset 18)"), e.getMessage());
            assertTrue(e.getMessage().contains("expected 3 tab-separated fields (title, date, body), found 2"),
                    e.getMessage());
        }
    }

    @Test
    void rejectsAFourthFieldAndInvalidUtf8() throws IOException {
        Path tabs = Files.writeString(dir.resolve("tabs.txt"), "A\tB\tC\tD\n");
        try (Europarl europarl = Europarl.open(tabs)) {
            EuroparlFormatException e = assertThrows(EuroparlFormatException.class, () -> europarl.iterator().next());
            assertTrue(e.getMessage().endsWith("found 4"), e.getMessage());
        }
        Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] {'A', '\t', 'B', '\t', (byte) 0xE9, '\n'});
        try (Europarl europarl = Europarl.open(latin1)) {
            EuroparlFormatException e = assertThrows(EuroparlFormatException.class, () -> europarl.iterator().next());
            assertEquals(1, e.lineNumber());
            assertTrue(e.getMessage().endsWith("not valid UTF-8"), e.getMessage());
        }
    }

    @Test
    void refusesASecondIteration() throws IOException {
        try (Europarl europarl = Europarl.open()) {
            europarl.iterator();
            assertThrows(IllegalStateException.class, europarl::iterator);
        }
    }
}
