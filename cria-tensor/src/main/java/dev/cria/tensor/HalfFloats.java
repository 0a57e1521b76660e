package dev.cria.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bulk conversions between fp32 and the two 16-bit formats, bit for bit equal to the scalar ones in {@link Layouts}
 * ({@link Float#float16ToFloat}, {@link Float#floatToFloat16}; bf16 as the top half of an f32, rounded to nearest
 * even, NaN kept quiet). Half values are little-endian in a {@link MemorySegment}, floats in a {@code float[]}.
 *
 * <p>JDK 25's Vector API has no f16 lane conversion (only the scalar {@code jdk.incubator.vector.Float16}), but C2
 * turns a plain loop of {@link Float#float16ToFloat} / {@link Float#floatToFloat16} into {@code vcvtph2ps} /
 * {@code vcvtps2ph} (F16C): measured at about 14 G values/s per core, four times an integer-and-multiply emulation
 * written with the Vector API. Only with a {@code float[]} on the other side, though: the same loop between two
 * segments is not vectorized (1.2 G values/s), hence no segment-to-segment variants. bf16 is a shift, written with
 * the Vector API (a scalar loop does not vectorize).
 */
public final class HalfFloats {
    private static final VectorSpecies<Short> S16 = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> S32 = IntVector.SPECIES_256;
    private static final int L = S32.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private HalfFloats() {
    }

    /** Converts {@code count} f16 values at byte {@code srcOffset} into {@code dst[dstOffset, dstOffset + count)}. */
    public static void f16ToF32(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int count) {
        checkRange(dst.length, dstOffset, count);
        MemorySegment plain = plainNative(src);
        if (plain != null) {
            f16ToF32Native(plain, srcOffset, dst, dstOffset, count);
        } else {
            f16ToF32Heap(src, srcOffset, dst, dstOffset, count);
        }
    }

    // Two copies of one loop, so that each keeps a single segment class in its type profile and stays vectorized.
    private static void f16ToF32Native(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int count) {
        for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = Float.float16ToFloat(src.get(Layouts.I16, srcOffset + 2L * i));
        }
    }

    private static void f16ToF32Heap(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int count) {
        for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = Float.float16ToFloat(src.get(Layouts.I16, srcOffset + 2L * i));
        }
    }

    /** Converts {@code count} bf16 values at byte {@code srcOffset} into {@code dst[dstOffset, dstOffset + count)}. */
    public static void bf16ToF32(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int count) {
        checkRange(dst.length, dstOffset, count);
        MemorySegment plain = plainNative(src);
        int i = 0;
        for (int bound = plain == null ? 0 : S32.loopBound(count); i < bound; i += L) {
            bf16Vector(plain, srcOffset + 2L * i).intoArray(dst, dstOffset + i);
        }
        for (; i < count; i++) {
            dst[dstOffset + i] = Layouts.bf16ToF32(src.get(Layouts.I16, srcOffset + 2L * i));
        }
    }

    /** Rounds {@code src[srcOffset, srcOffset + count)} to f16 (nearest even) at byte {@code dstOffset}. */
    public static void f32ToF16(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int count) {
        checkRange(src.length, srcOffset, count);
        MemorySegment plain = plainNative(dst);
        if (plain != null) {
            f32ToF16Native(src, srcOffset, plain, dstOffset, count);
        } else {
            f32ToF16Heap(src, srcOffset, dst, dstOffset, count);
        }
    }

    private static void f32ToF16Native(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int count) {
        for (int i = 0; i < count; i++) {
            dst.set(Layouts.I16, dstOffset + 2L * i, Float.floatToFloat16(src[srcOffset + i]));
        }
    }

    private static void f32ToF16Heap(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int count) {
        for (int i = 0; i < count; i++) {
            dst.set(Layouts.I16, dstOffset + 2L * i, Float.floatToFloat16(src[srcOffset + i]));
        }
    }

    /** Rounds {@code src[srcOffset, srcOffset + count)} to bf16 (nearest even, NaN quiet) at byte {@code dstOffset}. */
    public static void f32ToBf16(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int count) {
        checkRange(src.length, srcOffset, count);
        MemorySegment plain = plainNative(dst);
        int i = 0;
        for (int bound = plain == null ? 0 : S32.loopBound(count); i < bound; i += L) {
            IntVector u = FloatVector.fromArray(F32Kernels.S, src, srcOffset + i).reinterpretAsInts();
            // (u + 0x7FFF + lsb) >> 16 rounds the dropped half to nearest, ties to the even kept bit.
            IntVector lsb = u.lanewise(VectorOperators.LSHR, 16).and(1);
            IntVector rounded = u.add(0x7FFF).add(lsb).lanewise(VectorOperators.LSHR, 16);
            VectorMask<Integer> nan = u.and(0x7FFFFFFF).compare(VectorOperators.GT, 0x7F800000);
            IntVector quiet = u.lanewise(VectorOperators.LSHR, 16).or(64);
            ShortVector bits = (ShortVector) rounded.blend(quiet, nan).convertShape(VectorOperators.I2S, S16, 0);
            bits.intoMemorySegment(plain, dstOffset + 2L * i, LE);
        }
        for (; i < count; i++) {
            dst.set(Layouts.I16, dstOffset + 2L * i, Layouts.f32ToBf16(src[srcOffset + i]));
        }
    }

    /** 8 bf16 values at byte {@code offset} as floats: sign-extend to 32 bits, then shift into the top half. */
    static FloatVector bf16Vector(MemorySegment src, long offset) {
        IntVector wide = (IntVector) ShortVector.fromMemorySegment(S16, src, offset, LE)
                .convertShape(VectorOperators.S2I, S32, 0);
        return wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /**
     * {@code segment} as a plain native segment for the fast loops, or null for a heap segment, which takes loops of
     * its own: one heap segment seen by a vectorized segment access slows it down tenfold for every later caller,
     * since the JIT's type profile of that access is shared (see {@link Matrices#kernelSegment}).
     */
    private static MemorySegment plainNative(MemorySegment segment) {
        if (!segment.isNative()) {
            return null;
        }
        return segment.isMapped() ? segment.reinterpret(segment.byteSize()) : segment;
    }

    private static void checkRange(int length, int offset, int count) {
        if (offset < 0 || count < 0 || offset > length - count) {
            throw new IndexOutOfBoundsException(
                    "range [" + offset + ", " + offset + " + " + count + ") outside an array of " + length);
        }
    }
}
