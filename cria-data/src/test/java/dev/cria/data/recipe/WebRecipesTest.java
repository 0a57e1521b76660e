package dev.cria.data.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.data.Document;
import dev.cria.data.engine.Funnel;
import dev.cria.data.lid.FastTextClassifier;
import dev.cria.data.lid.LanguageIdStage;
import dev.cria.data.lm.CcnetPerplexity;
import dev.cria.data.quality.WikiReferenceFilter;
import dev.cria.data.quality.WikiReferenceFixtures;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.StageContext;
import dev.cria.data.stage.filter.C4BadWords;
import dev.cria.data.stage.filter.FakeWetPages;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped recipes {@code recipes/c4.yaml}, {@code recipes/ccnet.yaml} and {@code recipes/redpajama-cc.yaml}, run
 * through the engine on the shared samples, with the outcomes DATA-RULES §2 and §3 predict. The recipe files are used
 * as written except that {@code ../../shared/data/} points at the shared data wherever it is and {@code models/} at
 * models this test builds.
 */
class WebRecipesTest {

    @TempDir
    static Path models;

    @TempDir
    Path tmp;

    @BeforeAll
    static void buildModels() throws IOException {
        WebRecipeModels.english(models, 3000);
    }

    static Path recipeFile(String name) {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("recipes"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no recipes/ folder above " + Path.of("").toAbsolutePath());
        }
        return p.resolve("recipes").resolve(name);
    }

    /** The recipe as shipped, with the shared data and model folders moved, and {@code input} as its input. */
    static Recipe recipe(String name, Path modelDir, Path... input) throws IOException {
        Path file = recipeFile(name);
        String shared = SharedData.file("samples").getParent().toString() + "/";
        String text = Files.readString(file).replace("../../shared/data/", shared).replace(" models/", " " + modelDir + "/");
        Recipe r = RecipeLoader.parse(text, file, Stages.builtIn());
        return input.length == 0 ? r : r.withInputs(java.util.Arrays.stream(input).map(Path::toString).toList());
    }

    private static Map<String, String> byUrl(List<Document> docs, String field) {
        Map<String, String> m = new TreeMap<>();
        docs.forEach(d -> m.put((String) d.meta().get("url"), String.valueOf(d.meta().get(field))));
        return m;
    }

    @Test
    void c4OnItsOwnFakePagesKeepsTheTwoEnglishPagesAndSplitsThemByUrl() throws Exception {
        WebRuns.Run r = WebRuns.run(recipe("c4.yaml", models, SharedData.file("samples/c4_fake_wet")), tmp.resolve("out"), 2);
        Funnel.SourceFunnel read = r.funnel().sources().getFirst();
        assertEquals(9, read.documents());
        assertEquals(0, read.badTotal());
        // §3.1 in order: cc_1's copy of url/1 (same WARC-Date as cc_0's, so the first in shard order stays) → url/2 has
        // one sentence → no line is shared → de and de-786 are German, und and und-27 are English but too repetitive
        // for lid.176 to reach 0.99 → url/4 says "butt" → url/370 (and the dropped de-786, und-27) hash to validation.
        assertEquals(1, r.dropped("c4_url_dedup", "duplicate_url"));
        assertEquals(1, r.dropped("c4_quality", "too_few_sentences"));
        assertEquals(0, r.funnel().stages().get(3).droppedTotal().documents());
        assertEquals(2, r.dropped("lid", "lang_not_kept"));
        assertEquals(2, r.dropped("lid", "lid_low_score"));
        assertEquals(1, r.dropped("c4_badwords", "badword"));
        assertEquals(Map.of("http://fake.com/url/1", "train", "http://fake.com/url/370", "validation"), byUrl(r.documents(), "split"));
        assertTrue(r.documents().getFirst().text().startsWith("Once upon a time there was a dear little girl"));
        assertTrue(Files.isRegularFile(r.output().resolve("validation/part-00001.jsonl.gz")));
        assertTrue(Files.isRegularFile(r.output().resolve("funnel.html")));
    }

    @Test
    void theC4LidDropsBySayingWhichPageIsGermanAndWhichTooRepetitive() throws Exception {
        LanguageIdStage lid = new LanguageIdStage(SharedData.file("lid/lid.176.ftz").toString(), List.of("en"), 0.99);
        lid.open(new StageContext(null, 0));
        Map<String, String> outcome = new TreeMap<>();
        for (String file : List.of("cc_0.warc.wet", "cc_1.warc.wet")) {
            for (Document page : FakeWetPages.read(file)) {
                outcome.put((String) page.meta().get("url"), lid.apply(page) instanceof Outcome.Drop d ? d.reason() : "kept");
            }
        }
        assertEquals("lang_not_kept", outcome.get("http://fake.com/url/de"));
        assertEquals("lang_not_kept", outcome.get("http://fake.com/url/de-786"));
        assertEquals("lid_low_score", outcome.get("http://fake.com/url/und"));
        assertEquals("lid_low_score", outcome.get("http://fake.com/url/und-27"));
        assertEquals("kept", outcome.get("http://fake.com/url/370"));
    }

    @Test
    void everyBadWordsListMatchesItsOwnWordsAtWordBoundariesOnly() throws Exception {
        Path dir = SharedData.file("samples/c4_badwords");
        Map<String, String> lists = new LinkedHashMap<>();
        lists.put("en_c4_pinned_25e679f", "en");
        lists.put("dolma_naughty_words_en.txt", "en");
        lists.put("de_mc4_pinned_5faf2ba", "de");
        lists.put("fr_mc4_pinned_5faf2ba", "fr");
        lists.put("it_mc4_pinned_5faf2ba", "it");
        lists.put("es_mc4_pinned_5faf2ba", "es");
        for (Map.Entry<String, String> e : lists.entrySet()) {
            C4BadWords stage = new C4BadWords(dir.resolve(e.getKey()).toString(), e.getValue());
            stage.open(new StageContext(null, 0));
            for (String word : Files.readAllLines(dir.resolve(e.getKey()))) {
                String w = word.strip().toLowerCase(java.util.Locale.ROOT);
                if (w.isEmpty()) {
                    continue;
                }
                Document inside = new Document("a", "Es war: " + w + ", sagte er.", "t", Map.of());
                Document glued = new Document("b", "xq" + w + "qx", "t", Map.of());
                assertEquals(new Outcome.Drop("badword"), stage.apply(inside), e.getKey() + ": " + w);
                if (!w.contains(" ") && Character.isLetterOrDigit(w.codePointAt(0))
                        && Character.isLetterOrDigit(w.codePointBefore(w.length()))) {
                    assertInstanceOf(Outcome.Keep.class, stage.apply(glued), e.getKey() + ": " + w);
                }
            }
        }
    }

    @Test
    void ccnetOnTheWetSamplesKeepsTheOneEnglishPageWithAPerplexityAndABucket() throws Exception {
        WebRuns.Run r = WebRuns.run(recipe("ccnet.yaml", models, SharedData.file("samples/cc_wet")), tmp.resolve("out"), 2);
        // CCNet's test page (2019 layout) gives en, zh (under 300 characters) and ru; whirlwind.warc.wet and its .gz
        // (2024 layout) are the same Spanish page twice, so every one of its lines occurs twice in the hash_in_mem
        // group and both copies lose all lines (§2.3: every copy goes, the first included).
        assertEquals(5, r.funnel().sources().getFirst().documents());
        assertEquals(1, r.dropped("min_len", "too_short"));
        assertEquals(2, r.dropped("line_dedup", "all_lines_duplicated"));
        assertEquals(1, r.dropped("lid", "lang_not_kept"));
        assertEquals(1, r.documents().size());
        Document en = r.documents().getFirst();
        assertEquals("Famous Mark Twain Quotes", en.meta().get("title"));
        assertEquals("en", en.meta().get("language"));
        assertEquals(0.98, ((Number) en.meta().get("language_score")).doubleValue());
        assertEquals("[0, 1, 2, 3]", String.valueOf(en.meta().get("line_ids")));
        // The models are this test's, so the value is checked against the scorer itself (the scorer is checked
        // against spm_encode + KenLM in CcnetPerplexityTest); one document is its own 30th and 60th percentile, and
        // "head" needs ppl < p30, "middle" ppl < p60 (§2.7), so it is tail.
        double expected = CcnetPerplexity.load(models.resolve("en.sp.model"), models.resolve("en.arpa")).perplexity(en.text());
        assertEquals(expected, ((Number) en.meta().get("perplexity")).doubleValue());
        assertEquals("tail", en.meta().get("bucket"));
        assertTrue(Files.isRegularFile(r.output().resolve("en_tail/part-00000.jsonl.gz")));
    }

    @Test
    void redPajamaStepsOnCcnetOutputDropTheRepeatedDigestsAndScoreEveryPage() throws Exception {
        Path modelDir = Files.createDirectories(tmp.resolve("models"));
        Path model = WikiReferenceFixtures.trainModel(modelDir);
        // A third file holds the first file's pages under other URLs (mirrors): RedPajama's digest dedup keeps the
        // first document of each digest in file order, so the mirrors go.
        Path input = Files.createDirectories(tmp.resolve("in"));
        for (String f : List.of("dolma_cc_en_head-0091.jsonl", "dolma_cc_en_head-0174.jsonl")) {
            Files.copy(SharedData.file("samples/ccnet_output/" + f), input.resolve(f));
        }
        Files.writeString(input.resolve("zz-mirrors-of-0091.jsonl"), Files.readString(input.resolve("dolma_cc_en_head-0091.jsonl"))
                .replace("\"id\":\"", "\"id\":\"mirror-").replace("\"url\":\"", "\"url\":\"mirror-"));
        WebRuns.Run r = WebRuns.run(recipe("redpajama-cc.yaml", modelDir, input), tmp.resolve("out"), 2);
        assertEquals(30, r.funnel().sources().getFirst().documents());
        assertEquals(0, r.funnel().stages().get(0).droppedTotal().documents());
        assertEquals(10, r.dropped("exact_dedup", "exact_duplicate"));
        WikiReferenceFilter filter = new WikiReferenceFilter(FastTextClassifier.load(model), "wiki", 0.25);
        int expectedKept = 0;
        for (String f : List.of("dolma_cc_en_head-0091.jsonl", "dolma_cc_en_head-0174.jsonl")) {
            for (Document d : WikiReferenceFixtures.ccnet(f)) {
                expectedKept += filter.wikiProbability(d.text()) >= 0.25 ? 1 : 0;
            }
        }
        assertEquals(expectedKept, r.documents().size());
        for (Document d : r.documents()) {
            assertTrue(((Number) d.meta().get("wiki_prob")).doubleValue() >= 0.25);
            assertEquals("head", d.meta().get("bucket"));
        }
        assertTrue(Files.isDirectory(r.output().resolve("en_head")));
    }

    @Test
    void webQualityFiltersRunOnEveryWarcSampleAndCountTheMalformedOnes() throws Exception {
        // FineWeb's order after text extraction (§11.6): repetition, quality, C4 without the end-of-line rule, FineWeb.
        Files.writeString(tmp.resolve("warc.yaml"), """
                sources:
                  - {name: web, reader: warc, input: ["%s", "%s", "%s"]}
                stages:
                  - gopher_repetition
                  - gopher_quality
                  - c4_quality: {terminal_punctuation: false}
                  - fineweb_quality
                  - minhash_dedup
                output: {format: jsonl.zst}
                """.formatted(SharedData.file("samples/cc_warc"), SharedData.file("samples/warc_html"),
                SharedData.file("samples/warc_edge")));
        WebRuns.Run r = WebRuns.run(RecipeLoader.load(tmp.resolve("warc.yaml"), Stages.builtIn()), tmp.resolve("out"), 2);
        Funnel.SourceFunnel read = r.funnel().sources().getFirst();
        // The reader table of docs/data-engine.md: 16 + 1 + 1 (cc_warc), 22 + 15 (warc_html), 1 + 1 + 1 + 0 (warc_edge);
        // the truncated warcio file gives one truncated record and one that cannot be framed, and the run goes on.
        assertEquals(9, read.files());
        assertEquals(58, read.documents());
        assertEquals(Map.of("truncated", 1L, "bad_warc", 1L), read.badRecords());
        long in = 58;
        for (Funnel.StageFunnel s : r.funnel().stages()) {
            assertEquals(in, s.in().documents(), s.name());
            assertEquals(in, s.kept().documents() + s.droppedTotal().documents(), s.name());
            in = s.kept().documents();
        }
        // The 8 dropped for repeated lines are pages whose text repeats one line (menus, link lists); the Chinese spam
        // page of the 2020 crawl passes Gopher's checks because whitespace splitting makes few long "words" of it.
        assertEquals(8, r.dropped("gopher_repetition", "dup_line_frac"));
        assertEquals(23, r.funnel().stages().get(1).droppedTotal().documents());
        assertEquals(24, r.documents().size());
        assertEquals(r.documents().size(), r.funnel().output().documents());
    }
}
