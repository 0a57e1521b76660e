package dev.cria.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PythonTextTest {

    @Test
    void splitlinesBreaksOnEveryPythonLineBoundary() {
        assertEquals(List.of("a", "b", "c", "d", "e", "", "f"), PythonText.splitlines("a\r\nb\u2028c\u001Cd\u0085e\n\nf\n"));
    }

    @Test
    void splitDropsEmptyPiecesAndKnowsUnicodeSpaces() {
        assertEquals(List.of("one", "two", "three"), PythonText.splitWhitespace("  one\u00A0two\u3000\tthree  "));
    }

    @Test
    void lengthCountsCodePoints() {
        assertEquals(3, PythonText.length("a😀b"));
    }

    @Test
    void isalnumAcceptsEveryNumericCategory() {
        assertTrue(PythonText.isAlnum('²'));
        assertTrue(PythonText.isAlnum('½'));
        assertFalse(PythonText.isAlnum('-'));
    }

    @Test
    void sentencesEndAtMarksButNotAtAbbreviationsOrDecimals() {
        assertEquals(3, SentenceCounter.count("Mr. Smith paid 3.5 euros. He left! Did he return?"));
        assertEquals(1, SentenceCounter.count("A line without a final mark"));
        assertEquals(2, SentenceCounter.count("He said \"stop.\" Then he went."));
    }
}
