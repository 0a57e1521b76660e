package dev.cria.data.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.data.Document;
import dev.cria.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every web stage, registered in {@link WebStages}, run from a recipe through the local engine with its parameters. */
class WebStagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** One JSONL line: id, text and meta fields given as key, value pairs. */
    private static String doc(String id, String text, Object... meta) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("text", text);
        for (int i = 0; i < meta.length; i += 2) {
            m.put((String) meta[i], meta[i + 1]);
        }
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private WebRuns.Run run(String stages) throws Exception {
        return WebRuns.run(tmp, WebRuns.jsonlRecipe(stages));
    }

    private static String error(String stages) {
        return assertThrows(RecipeException.class, () -> RecipeLoader.parse(WebRuns.jsonlRecipe(stages),
                Path.of("/recipes/web.yaml"), Stages.builtIn())).getMessage();
    }

    @Test
    void everyWebStageHasItsRecipeName() {
        assertTrue(Stages.builtIn().names().containsAll(List.of("line_dedup", "lid", "perplexity", "perplexity_bucket",
                "perplexity_bucket_sampled", "wiki_reference", "c4_url_dedup", "c4_quality", "c4_line_dedup", "c4_badwords",
                "c4_paragraph", "gopher_quality", "gopher_repetition", "fineweb_quality", "exact_dedup", "minhash_dedup")));
    }

    @Test
    void lineDedupRemovesEveryCopyWithinItsHashInMemGroupOnly() throws Exception {
        // Shard 0 and shard 1 share "Shared line."; shard 0 repeats "Twice here." inside one document.
        WebRuns.shards(tmp, List.of(doc("a", "Shared line.\nOnly in a.\nTwice here.\ntwice HERE."), doc("b", "Only in b.")),
                List.of(doc("c", "Shared line.\nOnly in c.")));
        WebRuns.Run perShard = run("  - line_dedup: {hash_in_mem: 1}\n");
        Map<String, Document> one = perShard.byId();
        assertEquals("Shared line.\nOnly in a.", one.get("a").text());
        assertEquals("[0, 1]", String.valueOf(one.get("a").meta().get("line_ids")));
        assertEquals(4, ((Number) one.get("a").meta().get("original_nlines")).intValue());
        assertEquals("Shared line.\nOnly in c.", one.get("c").text());

        Map<String, Document> all = run("  - line_dedup: {hash_in_mem: 0}\n").byId();
        assertEquals("Only in a.", all.get("a").text());
        assertEquals("Only in c.", all.get("c").text());
        assertEquals("Only in b.", all.get("b").text());
    }

    @Test
    void c4UrlDedupKeepsTheNewestDateDownloadOfANormalizedUrl() throws Exception {
        WebRuns.shards(tmp, List.of(
                        doc("old", "old copy", "url", "http://www.a.com/x/", "date_download", "2019-04-18T10:00:00Z"),
                        doc("other", "other page", "url", "http://a.com/y", "date_download", "2019-04-18T10:00:00Z")),
                List.of(doc("new", "new copy", "url", "https://a.com/x?utm_source=feed", "date_download", "2019-04-19T08:00:00Z"),
                        doc("same-time", "later file, same time", "url", "http://a.com/y/", "date_download", "2019-04-18T10:00:00Z")));
        WebRuns.Run r = run("  - c4_url_dedup\n");
        assertEquals(List.of("other", "new"), r.documents().stream().map(Document::id).toList());
        assertEquals(2, r.dropped("c4_url_dedup", "duplicate_url"));
    }

    @Test
    void c4UrlDedupReadsTheFieldsTheRecipeNames() throws Exception {
        WebRuns.shards(tmp, List.of(doc("a", "one", "link", "a.com/p", "crawled", "2"), doc("b", "two", "link", "a.com/p", "crawled", "1")));
        WebRuns.Run r = run("  - c4_url_dedup: {url_field: link, timestamp_field: crawled}\n");
        assertEquals(List.of("a"), r.documents().stream().map(Document::id).toList());
    }

    @Test
    void c4QualityPresetsFollowTheReleasedCodeOrThePaper() throws Exception {
        // Five lines of four words: under TFDS's 5-word minimum, over the paper's 3, and 5 sentences (the paper's minimum).
        String fourWordLines = "The cat sat down.\nThe dog ran off.\nA bird flew by.\nThe sun came up.\nThe rain came down.";
        String noPunctuation = "This line has no final punctuation\nNor does this second line of text\nAnd the third goes on the same way";
        WebRuns.shards(tmp, List.of(doc("four", fourWordLines), doc("bare", noPunctuation)));
        assertEquals(List.of(), run("  - c4_quality\n").documents());
        assertEquals(List.of("four"), run("  - c4_quality: {preset: paper}\n").documents().stream().map(Document::id).toList());
        // FineWeb's setting: no end-of-line rule, so the three bare lines (one sentence each) make 3 sentences.
        assertEquals(List.of("bare"), run("  - c4_quality: {terminal_punctuation: false}\n").documents().stream()
                .map(Document::id).toList());
    }

    @Test
    void c4LineDedupGivesEachLineToOneUrl() throws Exception {
        String shared = "This shared sentence appears on two pages.";
        WebRuns.shards(tmp, List.of(
                doc("p", shared + "\nFirst own sentence here. Second one.\nThird sentence for p.", "url", "http://p.example/"),
                doc("q", shared + "\nQ has one sentence. And another.\nAnd a third for q.", "url", "http://q.example/")));
        Map<String, Document> out = run("  - c4_line_dedup\n").byId();
        // Exactly one of the two URLs keeps the shared line: the one whose MD5 sorts first (§3.1 step 5).
        String owner = new java.math.BigInteger(1, java.security.MessageDigest.getInstance("MD5")
                .digest("http://p.example/".getBytes())).compareTo(new java.math.BigInteger(1,
                java.security.MessageDigest.getInstance("MD5").digest("http://q.example/".getBytes()))) < 0 ? "p" : "q";
        String other = owner.equals("p") ? "q" : "p";
        assertTrue(out.get(owner).text().startsWith(shared));
        assertTrue(!out.get(other).text().contains(shared));
    }

    @Test
    void c4BadwordsReadsTheListFileRelativeToTheRecipe() throws Exception {
        Files.writeString(tmp.resolve("words.txt"), "butt\nbad phrase\n");
        WebRuns.shards(tmp, List.of(doc("a", "It is \"butt\"."), doc("b", "Buttons and rebutted arguments."),
                doc("c", "A BAD PHRASE here.")));
        WebRuns.Run r = run("  - c4_badwords: {file: words.txt}\n");
        assertEquals(List.of("b"), r.documents().stream().map(Document::id).toList());
        assertEquals(2, r.dropped("c4_badwords", "badword"));
    }

    @Test
    void exactDedupOnTheDigestKeepsTheFirstInShardOrder() throws Exception {
        WebRuns.shards(tmp, List.of(doc("a", "text a", "digest", "sha1:X"), doc("b", "text b", "digest", "sha1:Y")),
                List.of(doc("c", "text c", "digest", "sha1:X"), doc("d", "text a")));
        assertEquals(List.of("a", "b", "d"), run("  - exact_dedup: {field: digest}\n").documents().stream().map(Document::id).toList());
        // Without a field, the text itself: d repeats a's text.
        assertEquals(List.of("a", "b", "c"), run("  - exact_dedup\n").documents().stream().map(Document::id).toList());
    }

    @Test
    void minhashDedupKeepsOneOfNearCopies() throws Exception {
        StringBuilder base = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            base.append("word").append(i).append(' ');
        }
        String a = base.toString();
        String b = a.replace("word60 ", "WORD60, ");
        String c = a.replace("word", "term");
        WebRuns.shards(tmp, List.of(doc("a", a)), List.of(doc("b", b), doc("c", c)));
        WebRuns.Run r = run("  - minhash_dedup: {ngram: 5, bands: 14, rows: 8, seed: 1}\n");
        assertEquals(List.of("a", "c"), r.documents().stream().map(Document::id).toList());
        assertEquals(1, r.dropped("minhash_dedup", "near_duplicate"));
    }

    @Test
    void qualityFiltersDropWithDatatroveReasons() throws Exception {
        String shortPage = "Too short to be a page.";
        String paragraphPage = ("x".repeat(250) + "\n").repeat(3);
        WebRuns.shards(tmp, List.of(doc("short", shortPage), doc("paragraphs", paragraphPage)));
        WebRuns.Run r = run("  - c4_paragraph\n  - gopher_repetition\n  - gopher_quality\n  - fineweb_quality\n");
        assertEquals(1, r.dropped("c4_paragraph", "too_few_lines"));
        assertEquals(1, r.dropped("gopher_repetition", "dup_line_frac"));
        assertEquals(List.of(), r.documents());
    }

    @Test
    void lidWithFastTextKeepsTheListedLanguagesAboveTheThreshold() throws Exception {
        Path model = SharedData.file("lid/lid.176.ftz");
        WebRuns.shards(tmp, List.of(doc("en", "The weather was fine and we walked along the river for an hour."),
                doc("de", "Das Wetter war schön und wir sind eine Stunde am Fluss entlang gegangen.")));
        WebRuns.Run r = run("  - lid: {model: \"" + model + "\", languages: [en], threshold: 0.5}\n");
        assertEquals(List.of("en"), r.documents().stream().map(Document::id).toList());
        assertEquals("en", r.documents().getFirst().meta().get("language"));
        assertEquals(1, r.dropped("lid", "lang_not_kept"));
    }

    @Test
    void badParametersAreRecipeErrorsNamingTheKey() {
        assertTrue(error("  - c4_quality: {preset: t5}\n").contains("stages[0].c4_quality: preset: \"t5\" is not one of [tfds, paper]"),
                error("  - c4_quality: {preset: t5}\n"));
        assertTrue(error("  - c4_badwords: {language: en}\n").contains("missing required parameter \"file\""));
        assertTrue(error("  - line_dedup: {hash_in_mem: -1}\n").contains("hash_in_mem"));
        assertTrue(error("  - perplexity: {models: {en: {arpa: en.arpa}}}\n").contains("models.en: expected {sentencepiece: FILE, arpa: FILE}"));
        assertTrue(error("  - perplexity_bucket: {cutoffs: c.csv, head_percentile: 130}\n").contains("head_percentile"));
        assertTrue(error("  - wiki_reference: {threshold: 0.25}\n").contains("missing required parameter \"model\""));
        assertTrue(error("  - c4_url_dedup: {timestamp: date}\n").contains("unknown parameter [timestamp]"));
    }
}
