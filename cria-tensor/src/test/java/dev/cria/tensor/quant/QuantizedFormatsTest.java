package dev.cria.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.tensor.DType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our Q8_0/Q4_0 quantizers and dequantizers against ggml's own (libggml-base.so through FFM): the bytes must be
 * identical, and so must the dequantized floats, bit for bit.
 */
class QuantizedFormatsTest {

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0"})
    void quantizesRandomMatricesToGgmlsBytes(DType type) {
        SplittableRandom random = new SplittableRandom(7);
        int rows = 37;
        int cols = 256;
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            // A fresh scale every 32 values walks the blocks across many binades, including those whose f16 scale
            // is subnormal or overflows.
            if (i % 32 == 0) {
                random = random.split();
            }
            x[i] = (float) (random.nextGaussian() * Math.pow(10, (i / 32 % 23) - 11));
        }
        assertSameAsGgml(type, x, rows, cols, "random");
    }

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0"})
    void quantizesStories260KWeightsToGgmlsBytes(DType type) throws IOException {
        Stories260K model = Stories260K.load();
        int matrices = 0;
        for (Stories260K.Tensor t : model.matrices()) {
            if (t.cols() % 32 == 0) {
                assertSameAsGgml(type, t.values(model.all()), t.rows(), t.cols(), t.name());
                matrices++;
            }
        }
        assertEquals(31, matrices, "the embedding and every layer matrix but w2 (172 columns) have rows of whole blocks");
        // The whole checkpoint as one stream of blocks also covers w2 and the norms.
        int n = model.all().length / 32 * 32;
        float[] flat = Arrays.copyOf(model.all(), n);
        assertSameAsGgml(type, flat, 1, n, "all floats of stories260K.bin");
    }

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0"})
    void quantizesEdgeBlocksToGgmlsBytes(DType type) {
        List<float[]> blocks = edgeBlocks();
        float[] x = new float[blocks.size() * 32];
        for (int b = 0; b < blocks.size(); b++) {
            System.arraycopy(blocks.get(b), 0, x, b * 32, 32);
        }
        byte[] ours = QuantizedFormats.quantize(type, x, blocks.size(), 32);
        byte[] ggml = Ggml.base().quantizeChunk(type, x, blocks.size(), 32);
        for (int b = 0; b < blocks.size(); b++) {
            int from = b * type.blockBytes();
            assertArrayEquals(Arrays.copyOfRange(ggml, from, from + type.blockBytes()),
                    Arrays.copyOfRange(ours, from, from + type.blockBytes()),
                    type + " edge block " + b + ": " + Arrays.toString(blocks.get(b)));
        }
        assertSameDequantization(type, ours, x.length, "edge blocks");
    }

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0"})
    void dequantizesArbitraryBlocksLikeGgml(DType type) {
        // Every byte pattern is a valid block: random scales include f16 NaN, infinity and subnormals, and Q8_0's
        // quants include -128, which ggml's quantizer never writes but other tools may.
        SplittableRandom random = new SplittableRandom(11);
        byte[] data = new byte[4096 * type.blockBytes()];
        random.nextBytes(data);
        int[] specialScales = {0x0000, 0x8000, 0x0001, 0x03FF, 0x7BFF, 0x7C00, 0xFC00, 0x7E00, 0x7C01, 0xFE01};
        for (int i = 0; i < specialScales.length; i++) {
            data[i * type.blockBytes()] = (byte) specialScales[i];
            data[i * type.blockBytes() + 1] = (byte) (specialScales[i] >>> 8);
        }
        assertSameDequantization(type, data, 4096 * 32, "random blocks");
    }

    @Test
    void storesScalesWithGgmlsHalfConversion() {
        // Every 9th float bit pattern (coprime with the field widths) sweeps all exponents, both signs, NaN payloads
        // and the rounding ties of the mantissa's low bits.
        int chunk = 1 << 22;
        float[] x = new float[chunk];
        long pattern = 0;
        while (pattern < (1L << 32)) {
            int n = 0;
            for (; n < chunk && pattern < (1L << 32); n++, pattern += 9) {
                x[n] = Float.intBitsToFloat((int) pattern);
            }
            float[] slice = n == chunk ? x : Arrays.copyOf(x, n);
            short[] ggml = Ggml.base().toHalf(slice);
            for (int i = 0; i < n; i++) {
                short ours = GgmlFloat.toHalf(slice[i]);
                if (ours != ggml[i]) {
                    assertEquals(ggml[i], ours, "f16 of float bits 0x" + Integer.toHexString(Float.floatToRawIntBits(slice[i])));
                }
            }
        }
    }

    @Test
    void roundsHalfwayCasesAwayFromZeroLikeRoundf() {
        assertEquals(3f, GgmlFloat.roundHalfAwayFromZero(2.5f));
        assertEquals(-3f, GgmlFloat.roundHalfAwayFromZero(-2.5f));
        assertEquals(1f, GgmlFloat.roundHalfAwayFromZero(0.5f));
        assertEquals(0f, GgmlFloat.roundHalfAwayFromZero(0.49999997f));
        assertEquals(-0f, GgmlFloat.roundHalfAwayFromZero(-0.49999997f));
        assertEquals(8388609f, GgmlFloat.roundHalfAwayFromZero(8388609f));
        assertTrue(Float.isNaN(GgmlFloat.roundHalfAwayFromZero(Float.NaN)));
    }

    @Test
    void rejectsShapesThatAreNotWholeBlocks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuantizedFormats.quantize(DType.Q4_0, new float[2 * 48], 2, 48));
        assertTrue(e.getMessage().contains("multiple of 32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> QuantizedFormats.quantize(DType.Q8_0, new float[60], 2, 32));
        assertTrue(e.getMessage().contains("needs 64 values, got 60"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> QuantizedFormats.dequantize(DType.Q8_0, new byte[33], 1, 32));
        assertTrue(e.getMessage().contains("needs 34 bytes, got 33"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> QuantizedFormats.quantize(DType.F16, new float[32], 1, 32));
        assertTrue(e.getMessage().contains("F16 is not a block-quantized type"), e.getMessage());
    }

    private static void assertSameAsGgml(DType type, float[] x, int rows, int cols, String what) {
        byte[] ours = QuantizedFormats.quantize(type, x, rows, cols);
        byte[] ggml = Ggml.base().quantizeChunk(type, x, rows, cols);
        int firstDiff = Arrays.mismatch(ours, ggml);
        if (firstDiff >= 0) {
            int block = firstDiff / type.blockBytes();
            float[] values = Arrays.copyOfRange(x, block * 32, block * 32 + 32);
            assertEquals(ggml[firstDiff], ours[firstDiff], type + " " + what + ": byte " + firstDiff + " (block " + block
                    + ") differs from ggml; block values " + Arrays.toString(values));
        }
        assertSameDequantization(type, ours, x.length, what);
    }

    private static void assertSameDequantization(DType type, byte[] data, int count, String what) {
        float[] ggml = Ggml.base().toFloat(type, data, count);
        float[] ours = QuantizedFormats.dequantize(type, data, count / 32, 32);
        for (int i = 0; i < count; i++) {
            int a = Float.floatToRawIntBits(ggml[i]);
            int b = Float.floatToRawIntBits(ours[i]);
            if (a != b) {
                assertEquals(Integer.toHexString(a), Integer.toHexString(b), type + " " + what + ": dequantized value " + i + " differs from ggml's to_float");
            }
        }
    }

    /** Blocks at the quantizers' corners: zeros, signs, ties, NaN and infinities, subnormals, f16 overflow. */
    static List<float[]> edgeBlocks() {
        List<float[]> blocks = new ArrayList<>();
        blocks.add(new float[32]);
        blocks.add(filled(-0f));
        float[] oneHuge = ramp(1f);
        oneHuge[17] = 3.0e38f;
        blocks.add(oneHuge);
        float[] negativeMax = ramp(1f);
        negativeMax[5] = -100f;
        blocks.add(negativeMax);
        float[] tiedMagnitudes = ramp(0.5f);
        tiedMagnitudes[3] = 20f;
        tiedMagnitudes[9] = -20f;
        blocks.add(tiedMagnitudes);
        float[] tiedOtherOrder = ramp(0.5f);
        tiedOtherOrder[3] = -20f;
        tiedOtherOrder[9] = 20f;
        blocks.add(tiedOtherOrder);
        for (int at : new int[] {0, 13, 31}) {
            float[] nan = ramp(1f);
            nan[at] = Float.NaN;
            blocks.add(nan);
        }
        blocks.add(filled(Float.NaN));
        float[] inf = ramp(1f);
        inf[7] = Float.POSITIVE_INFINITY;
        blocks.add(inf);
        float[] negInf = ramp(1f);
        negInf[30] = Float.NEGATIVE_INFINITY;
        blocks.add(negInf);
        float[] bothInf = ramp(1f);
        bothInf[0] = Float.NEGATIVE_INFINITY;
        bothInf[1] = Float.POSITIVE_INFINITY;
        blocks.add(bothInf);
        blocks.add(filled(Float.MIN_VALUE));
        blocks.add(ramp(Float.MIN_VALUE));
        blocks.add(ramp(Float.MIN_NORMAL));
        blocks.add(ramp(1e-37f));
        blocks.add(ramp(3e-36f));
        blocks.add(ramp(1e-7f));
        blocks.add(ramp(1e-5f));
        blocks.add(ramp(65504f * 127f / 31f));
        blocks.add(ramp(65520f * 8f / 31f));
        blocks.add(ramp(Float.MAX_VALUE / 32f));
        // Q8_0 with amax 127: d = 1, id = 1, so x = k + 0.5 hits roundf's ties exactly.
        float[] q8Ties = new float[32];
        for (int j = 0; j < 32; j++) {
            q8Ties[j] = (j % 2 == 0 ? 1 : -1) * (j * 4 + 0.5f);
        }
        q8Ties[31] = 127f;
        blocks.add(q8Ties);
        // Q4_0 with max -8: d = 1, id = 1, so x + 8.5 lands on integers and on 16 (clamped to 15).
        float[] q4Edges = new float[32];
        for (int j = 0; j < 32; j++) {
            q4Edges[j] = -8f + j * 0.5f;
        }
        blocks.add(q4Edges);
        float[] q4PositiveMax = new float[32];
        for (int j = 0; j < 32; j++) {
            q4PositiveMax[j] = 8f - j * 0.5f;
        }
        blocks.add(q4PositiveMax);
        // Just below and above the ties, and scales whose f16 rounding is itself a tie.
        float[] nearTies = new float[32];
        for (int j = 0; j < 32; j++) {
            float tie = (j - 16) + 0.5f;
            nearTies[j] = j % 2 == 0 ? Math.nextDown(tie) : Math.nextUp(tie);
        }
        nearTies[0] = 127f;
        blocks.add(nearTies);
        blocks.add(ramp(127f * (1f + 1f / 2048f)));
        blocks.add(ramp(-8f * (1f + 1f / 2048f)));
        return blocks;
    }

    private static float[] filled(float v) {
        float[] b = new float[32];
        Arrays.fill(b, v);
        return b;
    }

    /** 32 values evenly spread over [-scale, scale], the largest magnitude first (negative) and last (positive). */
    private static float[] ramp(float scale) {
        float[] b = new float[32];
        for (int j = 0; j < 32; j++) {
            b[j] = scale * (j - 15.5f) / 15.5f;
        }
        return b;
    }
}
