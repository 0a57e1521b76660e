package dev.cria.data.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The byte-level float parser against the JDK's correctly rounded {@link Float#parseFloat}. */
class DecimalParserTest {

    private static void check(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        float fast = DecimalParser.parseFloat(b, 0, b.length);
        if (!Float.isNaN(fast)) {
            assertEquals(Float.floatToRawIntBits(Float.parseFloat(s)), Float.floatToRawIntBits(fast), s);
        }
    }

    @Test
    void agreesWithFloatParseFloatOnShortestAndLongDecimals() {
        SplittableRandom random = new SplittableRandom(7);
        int fastPath = 0;
        for (int i = 0; i < 100_000; i++) {
            float f = -Float.intBitsToFloat(random.nextInt(0x3F800000, 0x4B000000)) / (1 << random.nextInt(24));
            String shortest = ShortestDecimal.of(f);
            check(shortest);
            check(String.format("%.12f", (double) f));
            check(Float.toString(f));
            byte[] b = shortest.getBytes(StandardCharsets.US_ASCII);
            if (!Float.isNaN(DecimalParser.parseFloat(b, 0, b.length))) {
                fastPath++;
            }
        }
        assertTrue(fastPath > 80_000, "fast path taken " + fastPath + " times");
    }

    @Test
    void readsArpaStyleNumbersAndRejectsTheRest() {
        for (String s : new String[] {"0", "-0", "-1", "-0.5183238", "-99", "-1.2e-7", "-3E+2", "12.", ".5"}) {
            check(s);
        }
        for (String s : new String[] {"", "-", "abc", "1.2.3", "1e", "-inf", "1e999"}) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            assertTrue(Float.isNaN(DecimalParser.parseFloat(b, 0, b.length)), s);
        }
    }
}
