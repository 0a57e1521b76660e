package dev.cria.data.lid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinguaIdentifierTest {
    private static final LinguaIdentifier LINGUA = LinguaIdentifier.of(List.of("en", "de", "fr", "es"));

    @Test
    void namesLanguagesWithIso6391LabelsBestFirst() {
        List<Prediction> p = LINGUA.predict("Der schnelle braune Fuchs springt über den faulen Hund.", 3, 0);
        assertEquals("__label__de", p.getFirst().label());
        assertEquals("de", p.getFirst().language());
        assertEquals(3, p.size());
        assertTrue(p.get(0).probability() >= p.get(1).probability() && p.get(1).probability() >= p.get(2).probability());
        assertEquals("__label__es", LINGUA.best("¿Dónde está la biblioteca de la universidad?", 0).label());
    }

    @Test
    void leavesOutLabelsBelowTheThreshold() {
        List<Prediction> all = LINGUA.predict("The weather is lovely today and we will go for a walk.", -1, 0);
        double second = all.get(1).probability();
        List<Prediction> above = LINGUA.predict("The weather is lovely today and we will go for a walk.", -1,
                Math.nextUp(second));
        assertEquals(1, above.size());
        assertEquals("__label__en", above.getFirst().label());
    }

    @Test
    void rejectsUnknownCodesAndBadK() {
        assertThrows(IllegalArgumentException.class, () -> LinguaIdentifier.of(List.of("en", "xx")));
        assertThrows(IllegalArgumentException.class, () -> LINGUA.predict("text", 0, 0));
    }
}
