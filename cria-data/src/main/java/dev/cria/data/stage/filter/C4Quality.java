package dev.cria.data.stage.filter;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.text.PythonText;
import dev.cria.data.text.SentenceCounter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * C4's page cleaning (DATA-RULES §3.1 step 4, §3.2, §11.1), line by line with whole-page drops. Two presets, because
 * the paper and the code that produced the released C4 disagree:
 * <ul>
 *   <li>{@link Preset#TFDS} (the default): the released data's code — at least 5 words per line, counted after
 *   citation removal; lines end in {@code . ? ! "}; at least 3 sentences per page.
 *   <li>{@link Preset#PAPER}: the T5 paper's numbers as datatrove implements them — 3 words per line counted before
 *   citation removal, {@code '} also ends a line, at least 5 sentences per page.
 * </ul>
 * {@code terminalPunctuation=false} turns the end-of-line rule off, as FineWeb runs the filter.
 */
public final class C4Quality implements DocumentStage {

    private static final long serialVersionUID = 1L;

    public enum Preset { TFDS, PAPER }

    private static final Pattern CITATION = Pattern.compile("\\[\\d*\\]|\\[edit\\]|\\[citation needed\\]",
            Pattern.UNICODE_CHARACTER_CLASS | Pattern.CASE_INSENSITIVE);
    private static final List<String> POLICY = List.of(
            "terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies");
    private static final int MAX_WORD_LENGTH = 1000;

    private final Preset preset;
    private final boolean terminalPunctuation;

    public C4Quality(Preset preset, boolean terminalPunctuation) {
        this.preset = preset;
        this.terminalPunctuation = terminalPunctuation;
    }

    public C4Quality() {
        this(Preset.TFDS, true);
    }

    @Override
    public String name() {
        return "c4_quality";
    }

    private int minWordsPerLine() {
        return preset == Preset.TFDS ? 5 : 3;
    }

    private int minSentences() {
        return preset == Preset.TFDS ? 3 : 5;
    }

    private boolean endsLine(String line) {
        if (line.endsWith("...")) {
            return false;
        }
        return line.endsWith(".") || line.endsWith("?") || line.endsWith("!") || line.endsWith("\"")
                || (preset == Preset.PAPER && line.endsWith("'"));
    }

    @Override
    public Outcome apply(Document document) {
        StringBuilder kept = new StringBuilder();
        int sentences = 0;
        for (String raw : PythonText.splitlines(document.text())) {
            String line = PythonText.strip(raw);
            List<String> words = PythonText.splitWhitespace(line);
            if (tooLongWord(words)) {
                continue;
            }
            if (preset == Preset.TFDS) {
                line = CITATION.matcher(line).replaceAll("");
                words = PythonText.splitWhitespace(line);
            }
            if (terminalPunctuation && !endsLine(line)) {
                continue;
            }
            if (words.size() < minWordsPerLine()) {
                continue;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.contains("lorem ipsum")) {
                return Outcome.drop("lorem_ipsum");
            }
            if (lower.contains("javascript")) {
                continue;
            }
            if (line.contains("{")) {
                return Outcome.drop("curly_bracket");
            }
            if (containsPolicy(lower)) {
                continue;
            }
            if (preset == Preset.PAPER) {
                line = CITATION.matcher(line).replaceAll("");
            }
            sentences += SentenceCounter.count(line);
            if (!kept.isEmpty()) {
                kept.append('\n');
            }
            kept.append(line);
        }
        if (sentences < minSentences()) {
            return Outcome.drop("too_few_sentences");
        }
        return Outcome.keep(document.withText(PythonText.strip(kept.toString())));
    }

    private static boolean tooLongWord(List<String> words) {
        for (String w : words) {
            if (PythonText.length(w) > MAX_WORD_LENGTH) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsPolicy(String lower) {
        for (String p : POLICY) {
            if (lower.contains(p)) {
                return true;
            }
        }
        return false;
    }
}
