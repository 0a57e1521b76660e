package dev.cria.data.recipe;

import dev.cria.data.lid.LanguageIdStage;
import dev.cria.data.lm.PerplexityBucketStage;
import dev.cria.data.lm.PerplexityBuckets;
import dev.cria.data.lm.PerplexityStage;
import dev.cria.data.lm.SampledPerplexityBuckets;
import dev.cria.data.quality.WikiReferenceFilter;
import dev.cria.data.stage.ccnet.LineDedup;
import dev.cria.data.stage.dedup.C4LineDedup;
import dev.cria.data.stage.dedup.C4UrlDedup;
import dev.cria.data.stage.dedup.ExactDedup;
import dev.cria.data.stage.dedup.MinHashDedup;
import dev.cria.data.stage.filter.C4BadWords;
import dev.cria.data.stage.filter.C4Paragraph;
import dev.cria.data.stage.filter.C4Quality;
import dev.cria.data.stage.filter.C4Split;
import dev.cria.data.stage.filter.FineWebQuality;
import dev.cria.data.stage.filter.GopherQuality;
import dev.cria.data.stage.filter.GopherRepetition;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The stages of the web sources (CommonCrawl through CCNet, C4, the web-quality filters and dedups), with the
 * parameter names recipes use. Defaults are the reference values of DATA-RULES (§2 CCNet, §3 C4, §11 datatrove), and
 * field defaults are the meta keys the WET reader writes ({@code url}, {@code date_download}, {@code digest}).
 * Paths stay as written: each stage resolves them against the recipe's folder when it opens.
 */
final class WebStages {

    private WebStages() {
    }

    static void register(StageRegistry registry) {
        registerCcnet(registry);
        registerC4(registry);
        registerQuality(registry);
        registerDedup(registry);
    }

    /** CCNet's mine steps after min_len (§2.3–2.7) and RedPajama's classifier (§2.8). */
    private static void registerCcnet(StageRegistry registry) {
        registry.global("line_dedup", p -> new LineDedup(nonNegativeInt(p, "hash_in_mem", LineDedup.CCNET_HASH_IN_MEM)))
                .perDocument("lid", p -> new LanguageIdStage(p.string("model", null), p.strings("languages"),
                        p.number("threshold", 0.5)))
                .perDocument("perplexity", p -> new PerplexityStage(languageModels(p)))
                .perDocument("perplexity_bucket", p -> new PerplexityBucketStage(p.requiredString("cutoffs"),
                        percentile(p, "head_percentile", PerplexityBuckets.DEFAULT_HEAD_PERCENTILE),
                        percentile(p, "tail_percentile", PerplexityBuckets.DEFAULT_TAIL_PERCENTILE)))
                .global("perplexity_bucket_sampled", p -> new SampledPerplexityBuckets(
                        positiveInt(p, "sample_size", SampledPerplexityBuckets.DEFAULT_SAMPLE_SIZE),
                        percentile(p, "head_percentile", PerplexityBuckets.DEFAULT_HEAD_PERCENTILE),
                        percentile(p, "tail_percentile", PerplexityBuckets.DEFAULT_TAIL_PERCENTILE)))
                .perDocument("wiki_reference", p -> new WikiReferenceFilter(p.requiredString("model"),
                        p.string("label", WikiReferenceFilter.DEFAULT_LABEL),
                        p.number("threshold", WikiReferenceFilter.DEFAULT_THRESHOLD)));
    }

    /** C4's cleaning in TFDS order (§3.1) and the paper's variant (§3.2). */
    private static void registerC4(StageRegistry registry) {
        registry.global("c4_url_dedup", p -> new C4UrlDedup(p.string("url_field", "url"),
                        p.string("timestamp_field", "date_download")))
                .perDocument("c4_quality", p -> new C4Quality(preset(p), p.bool("terminal_punctuation", true)))
                .global("c4_line_dedup", p -> new C4LineDedup(p.string("url_field", "url")))
                .perDocument("c4_badwords", p -> new C4BadWords(p.requiredString("file"), p.string("language", "en")))
                .perDocument("c4_paragraph", p -> new C4Paragraph())
                .perDocument("c4_split", p -> new C4Split(p.string("url_field", "url")));
    }

    /** datatrove's Gopher and FineWeb filters (§11.2–11.4), with the reference thresholds. */
    private static void registerQuality(StageRegistry registry) {
        registry.perDocument("gopher_quality", p -> new GopherQuality())
                .perDocument("gopher_repetition", p -> new GopherRepetition())
                .perDocument("fineweb_quality", p -> new FineWebQuality());
    }

    private static void registerDedup(StageRegistry registry) {
        // field absent: the text itself; "digest" is RedPajama's CC dedup on the WET block digest (§2.8 step 2).
        registry.global("exact_dedup", p -> new ExactDedup(p.string("field", null)))
                .global("minhash_dedup", p -> new MinHashDedup(positiveInt(p, "ngram", 5), positiveInt(p, "bands", 14),
                        positiveInt(p, "rows", 8), p.integer("seed", 1)));
    }

    private static C4Quality.Preset preset(StageParams p) {
        String name = p.string("preset", "tfds");
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "tfds" -> C4Quality.Preset.TFDS;
            case "paper" -> C4Quality.Preset.PAPER;
            default -> throw new IllegalArgumentException("preset: \"" + name + "\" is not one of [tfds, paper]");
        };
    }

    /** {@code models: {en: {sentencepiece: en.sp.model, arpa: en.arpa}, de: {...}}}. */
    private static Map<String, PerplexityStage.LanguageModel> languageModels(StageParams p) {
        if (!(p.raw("models") instanceof Map<?, ?> byLanguage) || byLanguage.isEmpty()) {
            throw new IllegalArgumentException("models: expected a mapping from language to "
                    + "{sentencepiece: FILE, arpa: FILE}, found " + p.raw("models"));
        }
        Map<String, PerplexityStage.LanguageModel> models = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : byLanguage.entrySet()) {
            String language = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof Map<?, ?> files) || !(files.get("sentencepiece") instanceof String sp)
                    || !(files.get("arpa") instanceof String arpa) || files.size() != 2) {
                throw new IllegalArgumentException("models." + language + ": expected {sentencepiece: FILE, arpa: FILE}, found "
                        + e.getValue());
            }
            models.put(language, new PerplexityStage.LanguageModel(sp, arpa));
        }
        return models;
    }

    private static int percentile(StageParams p, String key, int fallback) {
        long v = p.integer(key, fallback);
        if (v < 0 || v > 99) {
            throw new IllegalArgumentException(key + ": expected a percentile 0 to 99, found " + v);
        }
        return (int) v;
    }

    private static int positiveInt(StageParams p, String key, int fallback) {
        long v = p.integer(key, fallback);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + ": expected a positive integer, found " + v);
        }
        return (int) v;
    }

    private static int nonNegativeInt(StageParams p, String key, int fallback) {
        long v = p.integer(key, fallback);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + ": expected 0 or a positive integer, found " + v);
        }
        return (int) v;
    }
}
