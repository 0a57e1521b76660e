package dev.cria.data.lid;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Language identification by the Lingua library (n-gram models of 75 languages shipped inside its jar, so it needs no
 * model file): Cria's default when no fastText model is given. Labels are {@code __label__} + the ISO 639-1 code, as
 * fastText's lid.176 spells them; probabilities are Lingua's confidence values.
 */
public final class LinguaIdentifier implements LanguageIdentifier {
    private final LanguageDetector detector;

    private LinguaIdentifier(LanguageDetector detector) {
        this.detector = detector;
    }

    /** Every language Lingua knows, in its high-accuracy mode. */
    public static LinguaIdentifier allLanguages() {
        return new LinguaIdentifier(LanguageDetectorBuilder.fromAllLanguages().build());
    }

    /**
     * Only the languages with these ISO 639-1 codes (e.g. {@code en}, {@code de}); fewer languages make Lingua faster
     * and its choice among them sharper.
     *
     * @throws IllegalArgumentException for a code Lingua does not know
     */
    public static LinguaIdentifier of(Collection<String> isoCodes) {
        List<IsoCode639_1> codes = new ArrayList<>();
        for (String code : isoCodes) {
            codes.add(isoCode(code));
        }
        if (codes.size() < 2) {
            // Lingua needs at least two candidates; keep all languages and filter the answer instead.
            return allLanguages();
        }
        return new LinguaIdentifier(LanguageDetectorBuilder.fromIsoCodes639_1(codes.toArray(IsoCode639_1[]::new)).build());
    }

    /** The ISO 639-1 codes of every language Lingua knows. */
    public static java.util.Set<String> supportedLanguages() {
        java.util.Set<String> codes = new java.util.TreeSet<>();
        for (Language language : Language.values()) {
            if (language != Language.UNKNOWN) {
                codes.add(language.getIsoCode639_1().toString().toLowerCase(Locale.ROOT));
            }
        }
        return codes;
    }

    private static IsoCode639_1 isoCode(String code) {
        String upper = code.strip().toUpperCase(Locale.ROOT);
        for (IsoCode639_1 c : IsoCode639_1.values()) {
            if (c.name().equals(upper) && c != IsoCode639_1.NONE) {
                return c;
            }
        }
        throw new IllegalArgumentException("Lingua knows no language with ISO 639-1 code '" + code + "'");
    }

    @Override
    public List<Prediction> predict(String text, int k, double threshold) {
        if (k == 0 || k < -1) {
            throw new IllegalArgumentException("k must be 1 or more (or -1 for all labels), was " + k);
        }
        List<Prediction> result = new ArrayList<>();
        for (Map.Entry<Language, Double> e : detector.computeLanguageConfidenceValues(text).entrySet()) {
            if (k != -1 && result.size() == k) {
                break;
            }
            if (e.getValue() < threshold || e.getKey() == Language.UNKNOWN) {
                continue;
            }
            String iso = e.getKey().getIsoCode639_1().toString().toLowerCase(Locale.ROOT);
            result.add(new Prediction(Prediction.LABEL_PREFIX + iso, e.getValue()));
        }
        return result;
    }
}
