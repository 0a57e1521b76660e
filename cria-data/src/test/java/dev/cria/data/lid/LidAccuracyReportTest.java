package dev.cria.data.lid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Top-1 accuracy per language on the Lingua evaluation texts: fastText's lid.176 (through Cria, which predicts exactly
 * as fastText) beside the Lingua library. Writes a Markdown table to {@code target/lid-accuracy.md}. Slow (Lingua loads
 * all 75 language models and scores 235,000 texts), hence a benchmark.
 */
@Tag("benchmark")
class LidAccuracyReportTest {

    @Test
    void writesAccuracyPerLanguage() throws IOException {
        FastTextClassifier fastText = FastTextClassifier.load(LinguaTexts.model());
        LinguaIdentifier lingua = LinguaIdentifier.allLanguages();
        Set<String> fastTextLanguages = new TreeSet<>();
        for (int i = 0; i < fastText.dictionary().nlabels(); i++) {
            fastTextLanguages.add(Prediction.LABEL_PREFIX.length() < fastText.dictionary().label(i).length()
                    ? fastText.dictionary().label(i).substring(Prediction.LABEL_PREFIX.length()) : "");
        }
        Map<String, double[]> rows = new LinkedHashMap<>();
        List<Path> files = LinguaTexts.files("sentences");
        for (Path file : files) {
            rows.put(file.getFileName().toString().replace(".txt", ""), new double[6]);
        }
        for (int c = 0; c < LinguaTexts.CATEGORIES.size(); c++) {
            for (Path file : LinguaTexts.files(LinguaTexts.CATEGORIES.get(c))) {
                String language = file.getFileName().toString().replace(".txt", "");
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                AtomicIntegerArray right = new AtomicIntegerArray(2);
                IntStream.range(0, lines.size()).parallel().forEach(i -> {
                    Prediction f = fastText.best(lines.get(i), 0);
                    if (f != null && sameLanguage(language, f.language())) {
                        right.incrementAndGet(0);
                    }
                    Prediction l = lingua.best(lines.get(i), 0);
                    if (l != null && l.language().equals(language)) {
                        right.incrementAndGet(1);
                    }
                });
                double[] row = rows.computeIfAbsent(language, k -> new double[6]);
                row[c] = 100.0 * right.get(0) / lines.size();
                row[3 + c] = 100.0 * right.get(1) / lines.size();
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("| language | lid.176 sentences | lid.176 word pairs | lid.176 single words | lid.176 mean "
                + "| Lingua sentences | Lingua word pairs | Lingua single words | Lingua mean |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double[] total = new double[8];
        double[] both = new double[8];
        int bothCount = 0;
        Set<String> linguaLanguages = LinguaIdentifier.supportedLanguages();
        for (Map.Entry<String, double[]> e : rows.entrySet()) {
            double[] r = e.getValue();
            boolean known = fastTextLanguages.contains(e.getKey()) || e.getKey().equals("nb");
            boolean inLingua = linguaLanguages.contains(e.getKey());
            double fMean = (r[0] + r[1] + r[2]) / 3;
            double lMean = (r[3] + r[4] + r[5]) / 3;
            md.append("| ").append(e.getKey()).append(known ? "" : " (not in lid.176)")
                    .append(inLingua ? "" : " (not in Lingua)");
            for (double v : new double[] {r[0], r[1], r[2], fMean, r[3], r[4], r[5], lMean}) {
                md.append(" | ").append(String.format(Locale.ROOT, "%.1f", v));
            }
            md.append(" |\n");
            double[] all = {r[0], r[1], r[2], fMean, r[3], r[4], r[5], lMean};
            for (int i = 0; i < 8; i++) {
                total[i] += all[i] / rows.size();
                both[i] += known && inLingua ? all[i] : 0;
            }
            bothCount += known && inLingua ? 1 : 0;
        }
        md.append("| **mean of the ").append(bothCount).append(" languages both know**");
        for (double v : both) {
            md.append(" | **").append(String.format(Locale.ROOT, "%.1f", v / bothCount)).append("**");
        }
        md.append(" |\n");
        md.append("| **mean of ").append(rows.size()).append(" languages**");
        for (double v : total) {
            md.append(" | **").append(String.format(Locale.ROOT, "%.1f", v)).append("**");
        }
        md.append(" |\n");
        Path out = Path.of("target", "lid-accuracy.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md, StandardCharsets.UTF_8);
        System.out.print(md);
    }

    /** lid.176 labels Norwegian Bokmål {@code no}; the evaluation files call it {@code nb}. */
    private static boolean sameLanguage(String expected, String predicted) {
        return predicted.equals(expected) || (expected.equals("nb") && predicted.equals("no"));
    }
}
