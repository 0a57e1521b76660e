package dev.cria.data.lid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CFloatFormatTest {

    @Test
    void printsLikeCppStreamsWithSixSignificantDigits() {
        // What printf("%g") prints for these floats (glibc).
        assertEquals("1.00005", CFloatFormat.g6(1.00005f));
        assertEquals("0.834084", CFloatFormat.g6(0.834084f));
        assertEquals("5.75238e-05", CFloatFormat.g6(5.75238e-05f));
        assertEquals("0.0001", CFloatFormat.g6(0.0001f));
        assertEquals("1e-05", CFloatFormat.g6(1e-05f));
        assertEquals("0.5", CFloatFormat.g6(0.5f));
        assertEquals("1", CFloatFormat.g6(1f));
        assertEquals("123456", CFloatFormat.g6(123456f));
        assertEquals("1.23457e+06", CFloatFormat.g6(1234567f));
        assertEquals("10", CFloatFormat.g6(9.9999996));
        assertEquals("0", CFloatFormat.g6(0f));
    }

    @Test
    void roundsExactTiesToEven() {
        // 0.5078125 = 65/128 is exactly halfway between 0.507812 and 0.507813.
        assertEquals("0.507812", CFloatFormat.g6(0.5078125f));
        assertEquals("0.507813", CFloatFormat.g6(Math.nextUp(0.5078125f)));
    }
}
