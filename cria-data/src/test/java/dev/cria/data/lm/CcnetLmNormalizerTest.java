package dev.cria.data.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** CCNet's text_normalizer.normalize, case by case as its source defines it (DATA-RULES §2.5). */
class CcnetLmNormalizerTest {

    @Test
    void gluesLinesTogetherAndTurnsDigitsIntoZeros() {
        // DATA-RULES §2.5's own example: control characters including \n are deleted
        assertEquals("...0000second", CcnetLmNormalizer.normalize("…2019\nSecond"));
    }

    @Test
    void stripsUnicodeWhitespaceLowerCasesAndRemovesAccents() {
        assertEquals("cafe creme brulee", CcnetLmNormalizer.normalize("\u00A0 Café Crème Brûlée\u3000\t"));
        assertEquals("sao paulo, zurich", CcnetLmNormalizer.normalize("São Paulo, Zürich"));
    }

    @Test
    void mapsUnicodePunctuationToAscii() {
        assertEquals("\"quote\"  -  dash", CcnetLmNormalizer.normalize("«Quote» — dash"));
        assertEquals("a,b.c. d'e-f[g]h%<i>", CcnetLmNormalizer.normalize("a，b。c．d’e–f【g】h％〈i〉"));
    }

    @Test
    void everyDecimalDigitBecomesZeroBeforePunctuationIsMapped() {
        // Arabic-Indic and fullwidth digits are category Nd; fullwidth one never reaches the table's '"' entry
        assertEquals("00 0", CcnetLmNormalizer.normalize("٣٤ １"));
    }

    @Test
    void deletesC0AndC1ControlCharactersButKeepsOtherSpaces() {
        assertEquals("ab\u00A0c", CcnetLmNormalizer.normalize("a\u0001b\u00A0\u0085c\u009F"));
    }

    @Test
    void leavesTextDecomposedAfterDroppingMarks() {
        // NFD splits Hangul syllables into jamo (category Lo, not Mn) and nothing recomposes them
        assertEquals("\u1112\u1161\u11AB", CcnetLmNormalizer.normalize("한"));
    }

    @Test
    void whitespaceOnlyTextIsEmpty() {
        assertEquals("", CcnetLmNormalizer.normalize(" \n\t\u2003"));
    }
}
