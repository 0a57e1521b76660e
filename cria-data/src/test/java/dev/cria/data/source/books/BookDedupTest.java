package dev.cria.data.source.books;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import dev.cria.data.stage.Outcome;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BookDedupTest {

    private static final List<String> PRIDE_AND_PREJUDICE = List.of("GITenberg_1342-0.txt", "GITenberg_1342.txt",
            "GITenberg_old_pandp10.txt", "GITenberg_old_pandp12.txt", "clocasto_pg1342.txt",
            "gutenbergbooks_1342-0_illustrated.txt");

    private static List<Document> books;

    @BeforeAll
    static void readBooks() throws IOException {
        books = new ArrayList<>();
        try (Stream<Path> files = Files.list(SharedData.file("samples/books"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                String text = GutenbergText.strip(Files.readString(f, StandardCharsets.UTF_8));
                books.add(new Document(f.getFileName().toString(), text, "books", Map.of()));
            }
        }
        assertEquals(15, books.size());
    }

    private static <S extends Serializable> DocumentStage run(GlobalStage<S> stage) {
        S summary = stage.emptySummary();
        for (Document b : books) {
            summary = stage.observe(summary, b);
        }
        return stage.decide(summary);
    }

    private static List<String> dropped(DocumentStage decide) {
        return books.stream().filter(b -> decide.apply(b) instanceof Outcome.Drop).map(Document::id).sorted().toList();
    }

    @Test
    void theSixPrideAndPrejudiceEditionsFormOneClusterAndTheNineOtherBooksStayApart() {
        BookOverlapDedup.Clusters clusters = (BookOverlapDedup.Clusters) run(new BookOverlapDedup());
        assertEquals(List.of(PRIDE_AND_PREJUDICE), clusters.duplicateClusters());
        assertEquals(PRIDE_AND_PREJUDICE.subList(1, 6), dropped(clusters));
    }

    @Test
    void underTheSimHashPresetTheFivePlainEditionsCluster() {
        List<String> dropped = dropped(run(new SimHashBookDedup()));
        assertEquals(4, dropped.size(), "five plain editions keep one: " + dropped);
        assertTrue(PRIDE_AND_PREJUDICE.containsAll(dropped));
        assertTrue(!dropped.contains("gutenbergbooks_1342-0_illustrated.txt"), "the illustrated edition stays apart");
    }

    @Test
    void theGutenbergLicenceIsRemovedFromBothEnds() {
        Document modern = books.stream().filter(b -> b.id().equals("GITenberg_1342-0.txt")).findFirst().orElseThrow();
        assertTrue(!modern.text().contains("PROJECT GUTENBERG EBOOK"), "no start/end marker lines");
        assertTrue(modern.text().contains("It is a truth universally acknowledged"));
        Document old = books.stream().filter(b -> b.id().equals("GITenberg_old_pandp10.txt")).findFirst().orElseThrow();
        assertTrue(!old.text().contains("SMALL PRINT"), "the old small print is gone");
    }
}
