package dev.cria.data.stage.filter;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.text.PythonText;
import java.util.List;

/** mC4's paragraph filter (DATA-RULES §3.3): at least 3 lines, and the 3 longest all at least 200 characters. */
public final class C4Paragraph implements DocumentStage {

    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return "c4_paragraph";
    }

    @Override
    public Outcome apply(Document document) {
        List<String> lines = PythonText.splitlines(document.text());
        if (lines.size() < 3) {
            return Outcome.drop("too_few_lines");
        }
        int[] longest = lines.stream().mapToInt(PythonText::length).sorted().toArray();
        return longest[longest.length - 3] < 200 ? Outcome.drop("short_paragraphs") : Outcome.keep(document);
    }
}
