package dev.cria.data.quality;

import dev.cria.data.Document;
import dev.cria.data.lid.FastTextClassifier;
import dev.cria.data.lid.Prediction;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.StageContext;
import dev.cria.data.text.PythonText;
import java.io.IOException;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * RedPajama's Wikipedia-reference classifier as a filter (DATA-RULES §2.8 step 3, RP {@code classify.py} and
 * {@code cc_classifier.sh}): a fastText model trained on pages cited by Wikipedia ({@code __label__wiki}) against
 * random CCNet pages ({@code __label__cc}) reads the document's lines, each stripped and joined by one space; from its
 * top-1 prediction, {@code wiki_prob} = p when the label is the wiki label, else 1 − p. The document keeps meta
 * {@code wiki_prob} and survives when {@code wiki_prob ≥ threshold} (RedPajama: 0.25); otherwise it is dropped as
 * {@code not_wiki_reference}. fastText reports p + 1e-5 per tree step (§13), so p can exceed 1 slightly and 1 − p can be
 * slightly negative; the value is kept as fastText gives it.
 */
public final class WikiReferenceFilter implements DocumentStage {
    @Serial
    private static final long serialVersionUID = 1L;

    public static final String NAME = "wiki_reference";
    public static final String DEFAULT_LABEL = "wiki";
    public static final double DEFAULT_THRESHOLD = 0.25;

    private final String model;
    private final String label;
    private final double threshold;
    private transient volatile FastTextClassifier classifier;

    /**
     * @param model the fastText model ({@code cria data train-classifier} or {@code fasttext supervised}), relative
     *     to the recipe's folder
     * @param label the positive label without {@code __label__} (RedPajama: {@code wiki})
     * @param threshold the lowest {@code wiki_prob} kept (RedPajama: 0.25)
     */
    public WikiReferenceFilter(String model, String label, double threshold) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("wiki_reference needs a fastText model file");
        }
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("wiki_reference needs the positive label (RedPajama: wiki)");
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be within [0, 1], was " + threshold);
        }
        this.model = model;
        this.label = label.startsWith("__label__") ? label.substring("__label__".length()) : label;
        this.threshold = threshold;
    }

    /** A filter around a model already loaded (tests, embedding). */
    public WikiReferenceFilter(FastTextClassifier classifier, String label, double threshold) {
        this(classifier.source(), label, threshold);
        this.classifier = classifier;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized void open(StageContext context) {
        if (classifier != null) {
            return;
        }
        Path path = context == null || context.recipeDir() == null ? Path.of(model) : context.recipeDir().resolve(model);
        try {
            classifier = FastTextClassifier.load(path);
        } catch (IOException e) {
            throw new UncheckedIOException(NAME + ": cannot load the fastText model " + path + ": " + e.getMessage(), e);
        }
    }

    /** RedPajama's classifier input: every line stripped, joined by single spaces. */
    public static String classifierText(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (String line : text.split("\n", -1)) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(PythonText.strip(line));
        }
        return out.toString();
    }

    /** {@code wiki_prob} of a text: p of the top label when it is the wiki label, else 1 − p. */
    public double wikiProbability(String text) {
        FastTextClassifier c = classifier;
        if (c == null) {
            throw new IllegalStateException(NAME + " used before open()");
        }
        List<Prediction> top = c.predict(classifierText(text), 1, 0.0);
        if (top.isEmpty()) {
            return 0;
        }
        Prediction best = top.getFirst();
        return best.language().equals(label) ? best.probability() : 1 - best.probability();
    }

    @Override
    public Outcome apply(Document document) {
        double p = wikiProbability(document.text());
        return p >= threshold ? Outcome.keep(document.withMeta("wiki_prob", p)) : Outcome.drop("not_wiki_reference");
    }
}
