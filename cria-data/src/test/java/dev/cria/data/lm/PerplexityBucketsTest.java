package dev.cria.data.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.StageContext;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CCNet's perplexity buckets from its own cutoff.csv, checked on real CCNet output. */
class PerplexityBucketsTest {

    private static List<JsonNode> ccnetDocuments() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> docs = new ArrayList<>();
        for (String name : new String[] {"dolma_cc_en_head-0091.jsonl", "dolma_cc_en_head-0174.jsonl"}) {
            for (String line : Files.readAllLines(SharedData.file("samples/ccnet_output/" + name))) {
                docs.add(json.readTree(line));
            }
        }
        return docs;
    }

    @Test
    void recordedPerplexityAndCutoffCsvReproduceTheRecordedBucket() throws IOException {
        PerplexityBuckets buckets = new PerplexityBuckets(PerplexityCutoffs.read(SharedData.file("samples/ccnet_output/ccnet_cutoff.csv")));
        List<JsonNode> docs = ccnetDocuments();
        assertEquals(20, docs.size());
        for (JsonNode doc : docs) {
            JsonNode meta = doc.get("metadata");
            assertEquals(meta.get("bucket").asText(), buckets.bucket(meta.get("language").asText(), meta.get("perplexity").asDouble()),
                    doc.get("id").asText());
        }
    }

    @Test
    void cutoffCsvGivesCcnetsEnglishThirtiethAndSixtiethPercentiles() throws IOException {
        PerplexityCutoffs cutoffs = PerplexityCutoffs.read(SharedData.file("samples/ccnet_output/ccnet_cutoff.csv"));
        assertEquals(48, cutoffs.languages().size());
        assertEquals(340, cutoffs.value("en", 30));
        assertEquals(520, cutoffs.value("en", 60));
        PerplexityBuckets buckets = new PerplexityBuckets(cutoffs);
        assertEquals("head", buckets.bucket("en", 339.9));
        assertEquals("middle", buckets.bucket("en", 340.0));
        assertEquals("middle", buckets.bucket("en", 519.9));
        assertEquals("tail", buckets.bucket("en", 520.0));
        assertEquals("all", buckets.bucket("xx", 100.0));
        assertEquals("all", buckets.bucket("en", Double.NaN));
        // the paper's thirds instead of the code's defaults
        PerplexityBuckets thirds = new PerplexityBuckets(cutoffs, 33, 66);
        assertEquals("head", thirds.bucket("en", 345.0));
    }

    @Test
    void bucketStageWritesTheBucketIntoMeta() throws IOException {
        Path csv = SharedData.file("samples/ccnet_output/ccnet_cutoff.csv");
        DocumentStage stage = new PerplexityBucketStage(csv.toString(), 30, 60);
        stage.open(new StageContext(Path.of("."), 0));
        Document doc = new Document("d", "text", "commoncrawl", Map.of("language", "de", "perplexity", 400.0));
        Outcome.Keep kept = (Outcome.Keep) stage.apply(doc);
        // de: p30 = 370, p60 = 590
        assertEquals("middle", kept.document().meta().get("bucket"));
    }

    @Test
    void bucketStageFromASampleSurvivesSerializationAsASparkEngineWouldShipIt() throws Exception {
        SampledPerplexityBuckets global = new SampledPerplexityBuckets();
        SampledPerplexityBuckets.Sample sample = global.emptySummary();
        for (int i = 1; i <= 100; i++) {
            global.observe(sample, new Document("d" + i, "", "cc", Map.of("language", "en", "perplexity", (double) i)));
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(global.decide(sample));
        }
        DocumentStage stage;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            stage = (DocumentStage) in.readObject();
        }
        stage.open(new StageContext(Path.of("."), 0));
        // np.percentile(1..100, 30) = 30.7, (.., 60) = 60.4
        assertEquals("head", bucketOf(stage, 30.6));
        assertEquals("middle", bucketOf(stage, 30.7));
        assertEquals("tail", bucketOf(stage, 60.4));
    }

    private static Object bucketOf(DocumentStage stage, double perplexity) {
        Document d = new Document("x", "", "cc", Map.of("language", "en", "perplexity", perplexity));
        return ((Outcome.Keep) stage.apply(d)).document().meta().get("bucket");
    }

    @Test
    void sampledCutoffsFollowNumpyPercentilesAndDoNotDependOnShardOrder() throws IOException {
        SampledPerplexityBuckets global = new SampledPerplexityBuckets(1000, 30, 60);
        SampledPerplexityBuckets.Sample a = global.emptySummary();
        SampledPerplexityBuckets.Sample b = global.emptySummary();
        for (int i = 1; i <= 11; i++) {
            Document d = new Document("doc" + i, "", "cc", Map.of("language", "en", "perplexity", 10.0 * i));
            global.observe(i % 2 == 0 ? a : b, d);
        }
        Map<String, double[]> ab = global.merge(a, global.emptySummary()).perplexities();
        SampledPerplexityBuckets.Sample c = global.emptySummary();
        SampledPerplexityBuckets.Sample d = global.emptySummary();
        for (int i = 11; i >= 1; i--) {
            global.observe(i % 2 == 0 ? d : c, new Document("doc" + i, "", "cc", Map.of("language", "en", "perplexity", 10.0 * i)));
        }
        assertTrue(java.util.Arrays.equals(
                sorted(global.merge(global.merge(global.emptySummary(), a), b).perplexities().get("en")),
                sorted(global.merge(c, d).perplexities().get("en"))));
        assertEquals(5, ab.get("en").length);
        // numpy: np.percentile([10, 20, ..., 110], 30) = 40.0, 60 → 70.0, 45 → 55.0
        PerplexityCutoffs cutoffs = PerplexityCutoffs.fromSample(Map.of("en", new double[] {110, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100}));
        assertEquals(40.0, cutoffs.value("en", 30), 1e-12);
        assertEquals(70.0, cutoffs.value("en", 60), 1e-12);
        assertEquals(55.0, cutoffs.value("en", 45), 1e-12);
        // and the CSV round-trips in cutoff.csv's layout
        assertEquals(cutoffs.toCsv(), PerplexityCutoffs.parse(List.of(cutoffs.toCsv().split("\n")), "x").toCsv());
    }

    private static double[] sorted(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s;
    }
}
