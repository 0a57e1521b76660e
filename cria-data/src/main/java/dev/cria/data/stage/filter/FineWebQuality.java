package dev.cria.data.stage.filter;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.text.PythonText;
import dev.cria.data.text.WordTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * FineWeb's quality filter (DATA-RULES §11.4) over the non-empty lines: too few lines ending in terminal punctuation
 * (share below 0.12), too many short lines (over 67 % of at most 30 characters), repeated lines holding more than
 * 1 % of the characters, or a list-like page (more than 0.3 newlines per word).
 */
public final class FineWebQuality implements DocumentStage {

    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return "fineweb_quality";
    }

    @Override
    public Outcome apply(Document document) {
        String text = document.text();
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (!PythonText.strip(line).isEmpty()) {
                lines.add(line);
            }
        }
        if (lines.isEmpty()) {
            return Outcome.drop("empty");
        }
        int terminal = 0;
        int shortLines = 0;
        for (String line : lines) {
            if (line.endsWith(".") || line.endsWith("'") || line.endsWith("\"") || line.endsWith("!") || line.endsWith("?")) {
                terminal++;
            }
            if (PythonText.length(line) <= 30) {
                shortLines++;
            }
        }
        if ((double) terminal / lines.size() < 0.12) {
            return Outcome.drop("line_punct_ratio");
        }
        if ((double) shortLines / lines.size() > 0.67) {
            return Outcome.drop("short_line_ratio");
        }
        long chars = PythonText.length(text.replace("\n", ""));
        if (chars > 0 && (double) Duplicates.of(lines).chars() / chars > 0.01) {
            return Outcome.drop("char_dup_ratio");
        }
        int words = WordTokenizer.words(text).size();
        long newlines = text.chars().filter(c -> c == '\n').count();
        if (words > 0 && (double) newlines / words > 0.3) {
            return Outcome.drop("list_ratio");
        }
        return Outcome.keep(document);
    }
}
