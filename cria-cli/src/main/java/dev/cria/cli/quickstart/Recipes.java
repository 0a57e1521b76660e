package dev.cria.cli.quickstart;

import java.util.List;
import java.util.Locale;

/**
 * The files the quickstart writes for Cria's commands: the two CCNet recipes ({@code docs/data-engine.md}) and the
 * training config ({@code docs/training.md}). Paths in the recipes are relative to the output folder, where the
 * recipes live; the training config holds absolute paths, so it runs from any folder.
 */
final class Recipes {
    /** Tokens per optimizer step: 16 windows of 128 tokens. */
    static final int BATCH_TOKENS = 2048;
    static final int SEQ_LEN = 128;
    /** The reference LM's SentencePiece vocabulary (CCNet's models are per-language SentencePiece + KenLM 5-grams). */
    static final int LM_VOCAB = 1000;
    static final int SAMPLE_TOKENS = 40;

    /** The languages of the Europarl corpus (ISO 639-1). */
    static final List<String> EUROPARL_LANGUAGES = List.of("bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "hu", "it", "lt", "lv",
            "nl", "pl", "pt", "ro", "sk", "sl", "sv");

    private Recipes() {
    }

    /**
     * The reference LM's vocabulary: {@link #LM_VOCAB} pieces, or half the distinct words of a small held-out text (a
     * shortened run), since BPE cannot make more pieces than the text has merges for.
     */
    static int lmVocabulary(int distinctWords) {
        return Math.max(100, Math.min(LM_VOCAB, distinctWords / 2));
    }

    static String lid(Quickstart.Settings s, Quickstart.Layout l) {
        // Lingua compares every language it knows; told the corpus's 21, it is several times faster and cannot wander
        // to languages the corpus does not hold. It then labels every page, and English is kept by the next stage.
        String stages = s.lidModel() == null
                ? "  - lid: {languages: [" + String.join(", ", EUROPARL_LANGUAGES) + "]}\n  - meta_filter: {field: language, in: [en]}"
                : "  - lid: {model: " + quote(s.lidModel().toAbsolutePath().normalize().toString()) + ", languages: [en]}";
        return """
                # Cria quickstart, CCNet part 1 (DATA-RULES §2.3-2.4): line dedup over all pages, then language
                # identification keeping English (%s).
                #   ./cria data run %s
                name: quickstart-ccnet-lid
                seed: %d
                sources:
                  - name: europarl
                    reader: jsonl
                    input: "pages/part-*.jsonl.gz"
                stages:
                  - line_dedup
                %s
                output:
                  format: jsonl.gz
                  dir: ccnet/english
                """.formatted(s.lidModel() == null ? "the embedded Lingua detector" : "fastText model " + s.lidModel().getFileName(),
                l.lidRecipe(), s.seed(), stages);
    }

    static String quality(Quickstart.Settings s, Quickstart.Layout l) {
        return """
                # Cria quickstart, CCNet part 2 (DATA-RULES §2.5-2.7, §3, §11): the English pages not held out for the
                # reference LM, scored by the 5-gram trained on the held-out ones, bucketed head/middle/tail at the
                # 30th/60th percentiles of a sample, then C4's and Gopher's filters.
                #   ./cria data run %s
                name: quickstart-ccnet-quality
                seed: %d
                sources:
                  - name: english
                    reader: jsonl
                    input: "ccnet/english/part-*.jsonl.gz"
                stages:
                  - meta_filter: {field: split, in: [corpus]}
                  - perplexity: {models: {en: {sentencepiece: lm/en.sp.model, arpa: lm/en.arpa}}}
                  - perplexity_bucket_sampled: {sample_size: 100000}
                  - c4_quality: {terminal_punctuation: true}
                  - gopher_quality
                  - gopher_repetition
                output:
                  format: jsonl.gz
                  partition: "{language}_{bucket}"
                  dir: ccnet/kept
                """.formatted(l.qualityRecipe(), s.seed());
    }

    static String train(Quickstart.Settings s, Quickstart.Layout l) {
        ModelSize m = s.size();
        long steps = s.steps();
        // The paper warms up over 2000 of its steps; a short run warms up over its first tenth.
        long warmup = Math.max(1, Math.min(2000, steps / 10));
        long valEvery = Math.max(1, steps / 8);
        return String.format(Locale.ROOT, """
                # Cria quickstart: a %s LLaMA on the kept English Europarl pages (keys: docs/training.md).
                #   ./cria train --config %s --output OTHER_DIR
                model:
                  dim: %d
                  layers: %d
                  heads: %d
                  kv_heads: %d
                  hidden: %d
                seq_len: %d
                batch_tokens: %d
                micro_batch: 8
                steps: %d
                lr: %s
                warmup: %d
                final_lr_ratio: 0.1
                weight_decay: 0.1
                beta1: 0.9
                beta2: 0.95
                grad_clip: 1.0
                checkpoint: selective
                seed: %d
                output: %s
                val_every: %d
                val_tokens: 8192
                checkpoint_every: 0
                log_every: %d
                export: f32
                data:
                  train: [%s]
                  validation: [%s]
                  tokenizer: %s
                """, m.optionName(), l.trainConfig(), m.dim(), m.layers(), m.heads(), m.kvHeads(), m.hidden(), SEQ_LEN, BATCH_TOKENS, steps,
                Double.toString(m.lr()), warmup, s.seed(), quote(l.run().toString()), valEvery, Math.max(1, Math.min(10, steps / 20)),
                quote(l.shards().resolve("train.tok").toString()), quote(l.shards().resolve("val.tok").toString()),
                quote(l.tokenizer().toString()));
    }

    /** A YAML double-quoted string. */
    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
