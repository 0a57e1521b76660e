package dev.cria.data.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cria.data.Document;
import dev.cria.data.lid.FastTextClassifier;
import dev.cria.data.lid.FastTextTrainer;
import dev.cria.data.lid.TrainingOptions;
import dev.cria.data.read.DocumentReader;
import dev.cria.data.read.JsonlReader;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Two kinds of documents for the Wikipedia-reference classifier: real CCNet web pages ({@code ccnet_output}) stand in
 * for the pages Wikipedia cites, chapters of Peter Pan ({@code lm/}) for the random pages; and a model trained on them.
 */
public final class WikiReferenceFixtures {
    private WikiReferenceFixtures() {
    }

    public static List<Document> ccnet(String file) throws IOException {
        List<Document> docs = new ArrayList<>();
        try (DocumentReader r = new JsonlReader(SharedData.file("samples/ccnet_output/" + file), "cc", "text")) {
            Document d;
            while ((d = r.next()) != null) {
                docs.add(d);
            }
        }
        return docs;
    }

    /** Peter Pan in documents of 40 lines (about 2,000 characters each). */
    public static List<Document> book(String file, int count) throws IOException {
        List<String> lines = Files.readAllLines(SharedData.file("lm/" + file));
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i + 40 <= lines.size() && docs.size() < count; i += 40) {
            docs.add(new Document(file + ":" + i, String.join("\n", lines.subList(i, i + 40)), "book", Map.of()));
        }
        return docs;
    }

    /** The second CCNet file: its first 5 pages train, its last 5 are held out. */
    public static List<Document> heldOutSplit(boolean heldOut) throws IOException {
        List<Document> all = ccnet("dolma_cc_en_head-0174.jsonl");
        return heldOut ? all.subList(5, 10) : all.subList(0, 5);
    }

    /** Trains the classifier as RedPajama did: create_corpus's file, then supervised fastText. */
    public static Path trainModel(Path dir) throws IOException {
        StringWriter corpus = new StringWriter();
        List<Document> pages = new ArrayList<>(ccnet("dolma_cc_en_head-0091.jsonl"));
        pages.addAll(heldOutSplit(false));
        WikiReferenceCorpus.Counts counts = WikiReferenceCorpus.write(pages.iterator(), book("train.txt", 100).iterator(), corpus);
        // 10 of the 15 pages have at least 1,000 characters; as many negatives follow.
        assertEquals(new WikiReferenceCorpus.Counts(10, 10, 5), counts);
        Path train = dir.resolve("wiki-reference.train.txt");
        Files.writeString(train, corpus.toString());
        FastTextClassifier model = new FastTextTrainer(TrainingOptions.defaults().withEpoch(100).withLr(1.0))
                .train(train, p -> { });
        Path file = dir.resolve("wiki-reference.bin");
        model.save(file);
        return file;
    }

}
