package dev.cria.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cria.data.Document;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlReaderTest {

    @TempDir
    Path tmp;

    @Test
    void flattensDolmaMetadataOfRealCcnetOutput() throws IOException {
        ReadAll r = ReadAll.jsonl(SharedData.file("samples/ccnet_output/dolma_cc_en_head-0091.jsonl"));
        assertEquals(10, r.documents().size());
        Document d = r.documents().getFirst();
        assertEquals("http://100kinvesting.com/2016/11/28/first-teleconference-calls-invoice-factoring/", d.id());
        assertEquals("head", d.meta().get("bucket"));
        assertEquals("en", d.meta().get("language"));
        assertEquals(304.6, d.meta().get("perplexity"));
        assertEquals(0.95, d.meta().get("language_score"));
        assertEquals(List.of(41L, 42L, 56L, 57L, 59L), d.meta().get("line_ids"));
        assertEquals("2023-04-07T15:24:38.743534+00:00", d.meta().get("added"));
    }

    @Test
    void slicesTileAFileAndGiveEveryLineOnce() throws IOException {
        Path f = SharedData.file("samples/ccnet_output/dolma_cc_en_head-0091.jsonl");
        ReadAll whole = ReadAll.jsonl(f);
        long size = Files.size(f);
        for (long slice : new long[] {1, 1000, 7777, 50_000}) {
            List<Document> docs = new ArrayList<>();
            for (long start = 0; start < size; start += slice) {
                docs.addAll(ReadAll.of(new JsonlReader(f, "jsonl", "text", start, Math.min(size, start + slice))).documents());
            }
            assertEquals(whole.documents(), docs, "slices of " + slice + " bytes");
        }
    }

    @Test
    void countsBrokenLinesWithTheirLineNumberAndReadsTheRest() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(SharedData.file("samples/ccnet_output/dolma_cc_en_head-0174.jsonl")));
        lines.add(3, "{\"text\": \"cut off");
        lines.add(6, "[1, 2]");
        lines.add(8, "{\"id\": \"x\"}");
        Path f = tmp.resolve("broken.jsonl");
        Files.write(f, lines);
        ReadAll r = ReadAll.jsonl(f);
        assertEquals(10, r.documents().size());
        assertEquals(Map.of("bad_json", 2L, "missing_text", 1L), r.report().badByKind());
        assertEquals(List.of(4L, 7L, 9L), r.report().badExamples().stream().map(BadRecord::position).toList());
        assertEquals("line", r.report().badExamples().getFirst().positionUnit());
    }
}
