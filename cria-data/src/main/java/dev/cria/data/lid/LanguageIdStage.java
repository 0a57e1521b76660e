package dev.cria.data.lid;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.StageContext;
import java.io.IOException;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * CCNet's language identification ({@code split_by_lang.py}, DATA-RULES §2.4) as one stage: the text with every
 * newline deleted (lines glued without a space, as CCNet does) goes to the model; the top label, without
 * {@code __label__}, becomes meta {@code language} and its probability rounded to 2 decimals (half to even, as NumPy
 * rounds) {@code language_score}. A document is dropped when its text is empty ({@code lid_empty}), when the score is
 * below {@code threshold} ({@code lid_low_score}), or when {@code languages} is not empty and does not hold its
 * language ({@code lang_not_kept}, CCNet's {@code keep_lang}).
 */
public final class LanguageIdStage implements DocumentStage {
    @Serial
    private static final long serialVersionUID = 1L;

    public static final String NAME = "lid";

    private final String model;
    private final List<String> languages;
    private final double threshold;
    private transient volatile LanguageIdentifier identifier;

    /**
     * @param model a fastText model file ({@code lid.176.ftz}, a {@code .bin}), relative to the recipe folder; null or
     *     blank for the embedded Lingua detector
     * @param languages languages to keep, as the model labels them ({@code en}); empty keeps every language
     * @param threshold the lowest rounded score kept; CCNet's {@code lang_threshold} is 0.5
     */
    public LanguageIdStage(String model, List<String> languages, double threshold) {
        this.model = model == null || model.isBlank() ? null : model;
        this.languages = languages == null ? List.of() : List.copyOf(languages);
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("lid threshold must be within [0, 1], was " + threshold);
        }
        this.threshold = threshold;
    }

    /** A stage around an identifier already loaded (tests, embedding). */
    public LanguageIdStage(LanguageIdentifier identifier, List<String> languages, double threshold) {
        this((String) null, languages, threshold);
        this.identifier = identifier;
    }

    @Override
    public String name() {
        return NAME;
    }

    public String model() {
        return model;
    }

    public List<String> languages() {
        return languages;
    }

    public double threshold() {
        return threshold;
    }

    @Override
    public void open(StageContext context) {
        if (identifier != null) {
            return;
        }
        if (model == null) {
            identifier = languages.size() >= 2 ? LinguaIdentifier.of(languages) : LinguaIdentifier.allLanguages();
            return;
        }
        Path path = context == null || context.recipeDir() == null ? Path.of(model) : context.recipeDir().resolve(model);
        try {
            identifier = FastTextClassifier.load(path);
        } catch (IOException e) {
            throw new UncheckedIOException("lid: cannot load the fastText model " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Outcome apply(Document document) {
        LanguageIdentifier id = identifier;
        if (id == null) {
            throw new IllegalStateException("lid: apply called before open");
        }
        String text = document.text().replace("\n", "");
        if (text.isEmpty()) {
            return Outcome.drop("lid_empty");
        }
        Prediction best = id.best(text, 0.0);
        double score = best == null ? 0 : Math.rint(best.probability() * 100) / 100;
        if (best == null || score < threshold) {
            return Outcome.drop("lid_low_score");
        }
        String language = best.language();
        if (!languages.isEmpty() && !languages.contains(language)) {
            return Outcome.drop("lang_not_kept");
        }
        return Outcome.keep(document.withMeta("language", language).withMeta("language_score", score));
    }
}
