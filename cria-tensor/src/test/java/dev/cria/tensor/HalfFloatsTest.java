package dev.cria.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {
    private static final int ALL = 1 << 16;

    private static MemorySegment everyHalfPattern(Arena arena) {
        MemorySegment s = arena.allocate(2L * ALL + 6);
        for (int i = 0; i < ALL; i++) {
            s.set(Layouts.I16, 6 + 2L * i, (short) i);
        }
        return s;
    }

    /**
     * bf16 nearest-even rounding from its definition: of the two bf16 neighbours {@code lo <= |v| < hi}, take the
     * nearer, the one with an even last bit on a tie. All quantities are exact in double (24-bit significands within a
     * factor of two of each other, and 2¹²⁸ for the overflow neighbour).
     */
    private static short bf16Reference(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int lo = bits >>> 16;
        if ((bits & 0xFFFF) == 0) {
            return (short) lo;
        }
        double mag = Math.abs((double) v);
        double loMag = Math.abs((double) Float.intBitsToFloat(lo << 16));
        int hiExp = ((lo + 1) >>> 7) & 0xFF;
        double hiMag = hiExp == 0xFF ? 0x1p128 : Math.abs((double) Float.intBitsToFloat((lo + 1) << 16));
        double below = mag - loMag;
        double above = hiMag - mag;
        boolean up = above < below || (above == below && (lo & 1) == 1);
        return (short) (up ? lo + 1 : lo);
    }

    private static float[] interestingFloats(int count) {
        Random rnd = new Random(11);
        float[] v = new float[count];
        float[] fixed = {0f, -0f, 1f, -1f, 65504f, 65520f, 65519.996f, 1e-8f, 5.9604645e-8f, 2.9802322e-8f, 6.1035156e-5f,
            Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0x7F800001), Float.intBitsToFloat(0xFFC12345),
            Float.intBitsToFloat(0x3F808000), Float.intBitsToFloat(0x3F818000), Float.intBitsToFloat(0x7F7F8000),
            Float.intBitsToFloat(0x7F7F7FFF), 1.0009766f, 1.0004883f, 1.0014648f};
        System.arraycopy(fixed, 0, v, 0, fixed.length);
        for (int i = fixed.length; i < count; i++) {
            v[i] = switch (i % 3) {
                case 0 -> Float.intBitsToFloat(rnd.nextInt());
                case 1 -> (float) (rnd.nextGaussian() * Math.pow(2, rnd.nextInt(40) - 25));
                // exactly halfway between two bf16 or two f16 neighbours
                default -> Float.intBitsToFloat((rnd.nextInt() & ~0xFFFF) | (rnd.nextBoolean() ? 0x8000 : 0x1000));
            };
        }
        return v;
    }

    @Test
    void f16ToF32MatchesTheJdkOnEveryBitPattern() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = everyHalfPattern(arena);
            float[] dst = new float[ALL + 3];
            HalfFloats.f16ToF32(src, 6, dst, 3, ALL);
            for (int i = 0; i < ALL; i++) {
                int expected = Float.floatToRawIntBits(Float.float16ToFloat((short) i));
                String what = "f16 0x" + Integer.toHexString(i);
                assertEquals(expected, Float.floatToRawIntBits(dst[3 + i]), what);
                assertEquals(expected, Float.floatToRawIntBits(Layouts.f16ToF32((short) i)), what);
            }
        }
    }

    @Test
    void bf16ToF32IsTheTopHalfOfTheFloatOnEveryBitPattern() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = everyHalfPattern(arena);
            // Odd counts leave a scalar tail after the 8-wide vectors.
            for (int count : new int[] {ALL, ALL - 5, 7, 1}) {
                float[] dst = new float[count + 1];
                HalfFloats.bf16ToF32(src, 6, dst, 1, count);
                for (int i = 0; i < count; i++) {
                    assertEquals(i << 16, Float.floatToRawIntBits(dst[1 + i]), "bf16 " + Integer.toHexString(i));
                    assertEquals(i << 16, Float.floatToRawIntBits(Layouts.bf16ToF32((short) i)));
                }
            }
        }
    }

    @Test
    void f32ToF16MatchesTheJdk() {
        float[] v = interestingFloats(100_003);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(2L * v.length);
            HalfFloats.f32ToF16(v, 0, dst, 0, v.length);
            for (int i = 0; i < v.length; i++) {
                assertEquals(Float.floatToFloat16(v[i]), dst.get(Layouts.I16, 2L * i), "f32 " + Float.floatToRawIntBits(v[i]));
            }
        }
    }

    @Test
    void f32ToBf16RoundsToNearestEvenAndKeepsNanQuiet() {
        float[] v = interestingFloats(100_003);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(2L * v.length + 2);
            HalfFloats.f32ToBf16(v, 0, dst, 2, v.length);
            for (int i = 0; i < v.length; i++) {
                short expected = bf16Reference(v[i]);
                String what = "f32 0x" + Integer.toHexString(Float.floatToRawIntBits(v[i]));
                assertEquals(expected, dst.get(Layouts.I16, 2 + 2L * i), what);
                assertEquals(expected, Layouts.f32ToBf16(v[i]), what);
            }
        }
        assertEquals((short) 0x3F80, Layouts.f32ToBf16(Float.intBitsToFloat(0x3F808000)), "tie rounds down to even");
        assertEquals((short) 0x3F82, Layouts.f32ToBf16(Float.intBitsToFloat(0x3F818000)), "tie rounds up to even");
        assertEquals((short) 0x7F80, Layouts.f32ToBf16(Float.intBitsToFloat(0x7F7F8000)), "overflow to infinity");
        assertEquals((short) 0x7FC0, Layouts.f32ToBf16(Float.intBitsToFloat(0x7F800001)), "signalling NaN made quiet");
    }

    @Test
    void rangesOutsideTheArrayAreRejected() {
        MemorySegment src = MemorySegment.ofArray(new short[8]);
        assertThrows(IndexOutOfBoundsException.class, () -> HalfFloats.f16ToF32(src, 0, new float[4], 1, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> HalfFloats.f32ToBf16(new float[4], 2, src, 0, 3));
    }
}
