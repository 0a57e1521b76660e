package dev.cria.data.lid;

import java.util.List;

/** Names the language of a text: fastText models ({@link FastTextClassifier}) or Lingua ({@link LinguaIdentifier}). */
public interface LanguageIdentifier {

    /**
     * The {@code k} most probable labels whose probability is at least {@code threshold}, best first.
     *
     * @param text one line of text (a newline inside counts as a space)
     * @param k how many labels at most; −1 for all
     */
    List<Prediction> predict(String text, int k, double threshold);

    /** The best label, or null when none reaches {@code threshold}. */
    default Prediction best(String text, double threshold) {
        List<Prediction> p = predict(text, 1, threshold);
        return p.isEmpty() ? null : p.getFirst();
    }
}
