package dev.cria.data.lid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FloatMathTest {

    @Test
    void expfMatchesGlibcWhereRoundingTheTrueValueDoesNot() {
        // (x, glibc 2.36 expf(x)): inputs where glibc's result is not exp(x) correctly rounded to float.
        float[][] cases = {
            {-0x1.475514p-12f, 0x1.ffd718p-1f},
            {0x1.da5488p-12f, 0x1.001da8p+0f},
            {-0x1.68cbc6p-11f, 0x1.ffa5d6p-1f},
            {-0x1.7a96fcp-11f, 0x1.ffa164p-1f},
            {-0x1.b4e296p-11f, 0x1.ff92d4p-1f},
            {0x1.b8d88ap-11f, 0x1.003722p+0f},
        };
        for (float[] c : cases) {
            assertEquals(Float.floatToIntBits(c[1]), Float.floatToIntBits(FloatMath.expf(c[0])), "expf(" + c[0] + ")");
            assertTrue(Float.floatToIntBits((float) Math.exp(c[0])) != Float.floatToIntBits(c[1]));
        }
    }

    @Test
    void expfIsWithinOneUlpOfExpEverywhere() {
        for (float x = -100f; x < 88f; x += 0.0137f) {
            float exact = (float) StrictMath.exp(x);
            float ours = FloatMath.expf(x);
            assertTrue(Math.abs(ours - exact) <= Math.ulp(exact), "expf(" + x + ") = " + ours + " vs " + exact);
        }
        assertEquals(0f, FloatMath.expf(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.expf(89f));
        assertEquals(0f, FloatMath.expf(-105f));
        assertTrue(Float.isNaN(FloatMath.expf(Float.NaN)));
    }
}
