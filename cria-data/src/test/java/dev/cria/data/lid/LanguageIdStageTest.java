package dev.cria.data.lid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cria.data.Document;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.StageContext;
import dev.cria.testing.ReferenceTool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LanguageIdStageTest {
    private static final String ENGLISH = "The committee met on Tuesday to discuss the budget.\nIt agreed to fund the new library.";
    private static final String GERMAN = "Der Ausschuss traf sich am Dienstag.\nEr beschloss, die neue Bibliothek zu finanzieren.";

    @TempDir
    Path dir;

    private static LanguageIdStage opened(List<String> languages, double threshold) {
        Path model = LinguaTexts.model();
        LanguageIdStage stage = new LanguageIdStage(model.getFileName().toString(), languages, threshold);
        stage.open(new StageContext(model.getParent(), 0));
        return stage;
    }

    private static Document doc(String text) {
        return new Document("d1", text, "commoncrawl", Map.of("url", "http://example.org/"));
    }

    @Test
    void scoresTheTextWithNewlinesDeletedAsCcnetDoes() throws IOException {
        ReferenceTool fasttext = ReferenceTool.require("fasttext", "fasttext");
        Path input = dir.resolve("glued.txt");
        Files.writeString(input, ENGLISH.replace("\n", "") + "\n", StandardCharsets.UTF_8);
        String[] expected = fasttext.runLines(null, "predict-prob", LinguaTexts.model().toString(), input.toString(), "1")
                .getFirst().split(" ");
        double expectedScore = Math.rint(Float.parseFloat(expected[1]) * 100) / 100;

        Outcome outcome = opened(List.of(), 0.5).apply(doc(ENGLISH));
        Document kept = ((Outcome.Keep) outcome).document();
        assertEquals(expected[0].substring("__label__".length()), kept.meta().get("language"));
        assertEquals(expectedScore, (Double) kept.meta().get("language_score"));
        assertEquals("http://example.org/", kept.meta().get("url"));
        assertEquals(ENGLISH, kept.text());
    }

    @Test
    void dropsLanguagesOutsideTheListAndScoresBelowTheThreshold() {
        LanguageIdStage englishOnly = opened(List.of("en"), 0.5);
        assertEquals(new Outcome.Drop("lang_not_kept"), englishOnly.apply(doc(GERMAN)));
        assertEquals(new Outcome.Drop("lid_empty"), englishOnly.apply(doc("\n\n")));
        assertEquals(new Outcome.Drop("lid_low_score"), opened(List.of(), 1.0).apply(doc("ok ok 123")));
    }

    @Test
    void travelsSerializedAndReopens() throws Exception {
        LanguageIdStage stage = new LanguageIdStage(LinguaTexts.model().toString(), List.of("de"), 0.5);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(stage);
        }
        LanguageIdStage copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (LanguageIdStage) in.readObject();
        }
        assertThrows(IllegalStateException.class, () -> copy.apply(doc(GERMAN)));
        copy.open(new StageContext(dir, 0));
        assertEquals("de", ((Outcome.Keep) copy.apply(doc(GERMAN))).document().meta().get("language"));
    }

    @Test
    void usesLinguaWithoutAModel() {
        LanguageIdStage stage = new LanguageIdStage((String) null, List.of("en", "de"), 0.5);
        stage.open(new StageContext(dir, 0));
        assertEquals("de", ((Outcome.Keep) stage.apply(doc(GERMAN))).document().meta().get("language"));
        assertEquals("en", ((Outcome.Keep) stage.apply(doc(ENGLISH))).document().meta().get("language"));
    }
}
