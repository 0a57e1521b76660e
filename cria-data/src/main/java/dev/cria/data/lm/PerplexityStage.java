package dev.cria.data.lm;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.StageContext;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CCNet's {@code sp} + {@code lm} steps: stores each document's perplexity ({@link CcnetPerplexity}) in meta
 * {@code perplexity}, using the models of the document's meta {@code language}. Like CCNet it drops nothing: a
 * document in a language without models, or whose text normalizes to nothing, passes unchanged.
 */
public final class PerplexityStage implements DocumentStage {
    private static final long serialVersionUID = 1L;

    /**
     * The model files of one language, resolved against the recipe's folder when relative.
     *
     * @param sentencePiece a SentencePiece model ({@code <lang>.sp.model}; unigram in CCNet, BPE works too)
     * @param arpa the n-gram model as ARPA, plain or {@code .gz}
     */
    public record LanguageModel(String sentencePiece, String arpa) implements Serializable {
    }

    private final LinkedHashMap<String, LanguageModel> models;
    private transient volatile Map<String, CcnetPerplexity> loaded;

    /** @param models per language code (as the LID stage writes it to meta {@code language}) */
    public PerplexityStage(Map<String, LanguageModel> models) {
        this.models = new LinkedHashMap<>(models);
    }

    @Override
    public String name() {
        return "perplexity";
    }

    @Override
    public synchronized void open(StageContext context) {
        if (loaded != null) {
            return;
        }
        Map<String, CcnetPerplexity> m = new HashMap<>();
        for (Map.Entry<String, LanguageModel> e : models.entrySet()) {
            Path dir = context == null || context.recipeDir() == null ? Path.of("") : context.recipeDir();
            Path sp = dir.resolve(e.getValue().sentencePiece());
            Path arpa = dir.resolve(e.getValue().arpa());
            try {
                m.put(e.getKey(), CcnetPerplexity.load(sp, arpa));
            } catch (IOException ex) {
                throw new UncheckedIOException("perplexity models of language " + e.getKey() + ": " + ex.getMessage(), ex);
            }
        }
        loaded = m;
    }

    @Override
    public Outcome apply(Document document) {
        Map<String, CcnetPerplexity> m = loaded;
        if (m == null) {
            throw new IllegalStateException("stage " + name() + " used before open()");
        }
        Object language = document.meta().get("language");
        CcnetPerplexity scorer = language == null ? null : m.get(language.toString());
        if (scorer == null) {
            return Outcome.keep(document);
        }
        double perplexity = scorer.perplexity(document.text());
        return Outcome.keep(Double.isNaN(perplexity) ? document : document.withMeta("perplexity", perplexity));
    }
}
