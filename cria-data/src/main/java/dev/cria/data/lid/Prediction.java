package dev.cria.data.lid;

/**
 * One answer of a language identifier.
 *
 * @param label the label as the model names it, e.g. {@code __label__en}
 * @param probability fastText's reported probability (the product along the path of p + 1e-5 per step, so it can
 *     slightly exceed 1), or Lingua's confidence
 */
public record Prediction(String label, double probability) {
    public static final String LABEL_PREFIX = "__label__";

    /** The label without fastText's {@code __label__} prefix, e.g. {@code en}: CCNet's {@code language} field. */
    public String language() {
        return label.startsWith(LABEL_PREFIX) ? label.substring(LABEL_PREFIX.length()) : label;
    }
}
