package dev.cria.tensor.quant;

/**
 * Rows of activations quantized to Q8_0 the way llama.cpp's CPU backend does before an integer dot product (the AVX2
 * {@code quantize_row_q8_0} of ggml-cpu/arch/x86/quants.c, which differs from the reference quantizer):
 * <pre>
 * amax = max |x|,  d = f16(amax / 127),  id = amax != 0 ? 127 / amax : 0,  q = saturate8(rint(x * id))
 * </pre>
 * with {@code rint} rounding halfway cases to even. Inputs are expected finite.
 *
 * <p>Stored for the integer kernels rather than as blocks: per block its scale as a float, the quants split into even
 * and odd positions as shorts ({@code even[i] = q[2i]}, {@code odd[i] = q[2i + 1]}), and for Q4_0's offset
 * {@code sum8[k] = 8 * (q[4k] + ... + q[4k + 3])}. A Q8_0 or Q4_0 weight loaded as 16-bit lanes holds an even and an
 * odd value in each lane, so the two products per lane come out without shuffles.
 */
final class Q8Activations {
    private int capacityBlocks;
    private int blocksPerRow;
    /** {@code scale[t * blocksPerRow + b]}: block b of row t. */
    float[] scale = new float[0];
    /** {@code even[(t * blocksPerRow + b) * 16 + i]}. */
    short[] even = new short[0];
    short[] odd = new short[0];
    /** {@code sum8[(t * blocksPerRow + b) * 8 + k]}. */
    int[] sum8 = new int[0];

    /** Makes room for {@code rows} rows of {@code cols} values (a multiple of 32). */
    void reshape(int rows, int cols) {
        blocksPerRow = cols / 32;
        int blocks = Math.multiplyExact(rows, blocksPerRow);
        if (blocks > capacityBlocks) {
            capacityBlocks = blocks;
            scale = new float[blocks];
            even = new short[blocks * 16];
            odd = new short[blocks * 16];
            sum8 = new int[blocks * 8];
        }
    }

    int blocksPerRow() {
        return blocksPerRow;
    }

    /** Quantizes {@code x[offset, offset + 32 * blocksPerRow())} into row {@code row}. */
    void quantizeRow(float[] x, int offset, int row) {
        for (int b = 0; b < blocksPerRow; b++) {
            int from = offset + b * 32;
            int block = row * blocksPerRow + b;
            float amax = 0f;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[from + j]));
            }
            scale[block] = Float.float16ToFloat(Float.floatToFloat16(amax / 127f));
            float id = amax != 0f ? 127f / amax : 0f;
            int sum = 0;
            for (int j = 0; j < 32; j++) {
                int q = saturatedRint(x[from + j] * id);
                if ((j & 1) == 0) {
                    even[block * 16 + j / 2] = (short) q;
                } else {
                    odd[block * 16 + j / 2] = (short) q;
                }
                sum += q;
                if ((j & 3) == 3) {
                    sum8[block * 8 + j / 4] = 8 * sum;
                    sum = 0;
                }
            }
        }
    }

    /**
     * {@code _mm256_round_ps(v, nearest)}, {@code _mm256_cvtps_epi32} (NaN and out-of-range give 0x80000000), then
     * the signed saturation of the int32 to int8 packs.
     */
    private static int saturatedRint(float v) {
        double r = Math.rint(v);
        if (!(r >= -0x1p31 && r < 0x1p31)) {
            return -128;
        }
        return (int) Math.max(-128, Math.min(127, r));
    }

    /** Row {@code row} as ggml {@code block_q8_0}s (f16 scale, 32 int8), for comparing with ggml's own quantizer. */
    byte[] toBlocks(int row) {
        byte[] out = new byte[blocksPerRow * 34];
        for (int b = 0; b < blocksPerRow; b++) {
            int block = row * blocksPerRow + b;
            short d = Float.floatToFloat16(scale[block]);
            out[b * 34] = (byte) d;
            out[b * 34 + 1] = (byte) (d >>> 8);
            for (int i = 0; i < 16; i++) {
                out[b * 34 + 2 + 2 * i] = (byte) even[block * 16 + i];
                out[b * 34 + 3 + 2 * i] = (byte) odd[block * 16 + i];
            }
        }
        return out;
    }
}
