package dev.cria.tensor.quant;

import dev.cria.tensor.DType;
import dev.cria.tensor.Layouts;
import dev.cria.tensor.Matrix;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Q4_0 weights in GGML's layout ({@link Q4_0Codec}): each row is {@code cols / 32} blocks of an f16 scale and 16
 * bytes, byte {@code j} holding value {@code j} (low nibble) and value {@code j + 16} (high nibble).
 *
 * <p>Products run with the {@link QuantKernel} given at construction ({@link QuantKernel#defaultKernel()} otherwise):
 * <ul>
 * <li>{@link QuantKernel#F32} (default): per block, the 16 bytes widened to int lanes ({@link FloatWidth}: two
 *     loads of 8 with AVX2, one of 16 with AVX-512) give the nibbles (masked, or shifted right by 4), each turned
 *     into the f32 {@code n - 8} by a bit trick and multiplied with the activations; the block sum is scaled once
 *     by {@code d}. Batches ({@link #matmul}) go
 *     through {@link PanelMatmul}, which dequantizes each weight once to its exact ggml value.
 * <li>{@link QuantKernel#Q8_0}: llama.cpp's integer path, bit for bit (AVX2 {@code ggml_vec_dot_q4_0_q8_0}). The 16
 *     bytes loaded as eight shorts hold, in lane i, the nibbles of values {@code 2i, 2i+16, 2i+1, 2i+17} (from the
 *     low bits up); masks and shifts give the even and odd values of both halves, products with the split
 *     activations and pairwise adds give ggml's eight lane sums over values {@code 4k..4k+3}. The -8 offset is
 *     applied as {@code Σ (n - 8) y = Σ n y - 8 Σ y} with the activations' precomputed {@code 8 Σ y}: exact integers.
 *     The two halves run as 128-bit vectors, lanes 0-3 and 4-7 of ggml's accumulator.
 * </ul>
 */
public final class Q4_0Matrix implements Matrix {
    private static final VectorSpecies<Float> F = FloatWidth.F;
    private static final int LANES = FloatWidth.LANES;
    private static final VectorSpecies<Float> F128 = FloatVector.SPECIES_128;
    private static final VectorSpecies<Short> S128 = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I128 = IntVector.SPECIES_128;
    private static final FloatVector TWO_POW_23_PLUS_8 = FloatVector.broadcast(F, 0x1p23f + 8f);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int QK = Q4_0Codec.BLOCK_SIZE;
    private static final int BLOCK_BYTES = Q4_0Codec.BLOCK_BYTES;

    private final MemorySegment data;
    private final int rows;
    private final int cols;
    private final int blocksPerRow;
    private final long rowBytes;
    private final QuantKernel kernel;
    private final PanelMatmul.RowDequantizer panelSource = this::dequantize;

    public Q4_0Matrix(MemorySegment data, int rows, int cols) {
        this(data, rows, cols, QuantKernel.defaultKernel());
    }

    public Q4_0Matrix(MemorySegment data, int rows, int cols, QuantKernel kernel) {
        Shapes.checkMatrix(DType.Q4_0, data, rows, cols);
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.blocksPerRow = cols / QK;
        this.rowBytes = (long) blocksPerRow * BLOCK_BYTES;
        this.kernel = kernel;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public DType type() {
        return DType.Q4_0;
    }

    @Override
    public MemorySegment data() {
        return data;
    }

    public QuantKernel kernel() {
        return kernel;
    }

    @Override
    public void matvec(float[] x, float[] y, int rowFrom, int rowTo) {
        Shapes.checkProduct(rows, cols, x, 1, y, rowFrom, rowTo);
        if (kernel == QuantKernel.F32) {
            for (int r = rowFrom; r < rowTo; r++) {
                y[r] = dotF32(r * rowBytes, x, 0);
            }
        } else {
            Q8Activations a = Scratch.current().activations(1, cols);
            a.quantizeRow(x, 0, 0);
            for (int r = rowFrom; r < rowTo; r++) {
                y[r] = dotQ8(r * rowBytes, a, 0);
            }
        }
    }

    @Override
    public void matmul(float[] x, int n, float[] y, int rowFrom, int rowTo) {
        Shapes.checkProduct(rows, cols, x, n, y, rowFrom, rowTo);
        if (n == 1) {
            matvec(x, y, rowFrom, rowTo);
        } else if (kernel == QuantKernel.F32) {
            PanelMatmul.matmul(panelSource, rows, cols, x, n, y, rowFrom, rowTo, Scratch.current().panel());
        } else {
            Q8Activations a = Scratch.current().activations(n, cols);
            for (int t = 0; t < n; t++) {
                a.quantizeRow(x, t * cols, t);
            }
            // Row-major over the weights: one row stays in L1 while every token passes over it.
            for (int r = rowFrom; r < rowTo; r++) {
                for (int t = 0; t < n; t++) {
                    y[t * rows + r] = dotQ8(r * rowBytes, a, t);
                }
            }
        }
    }

    @Override
    public void dequantizeRow(int r, float[] out, int offset) {
        Shapes.checkRow(rows, cols, r, out, offset);
        dequantize(r, 0, cols, out, offset);
    }

    /** {@code Σ_b d_b · (Σ_j (n_bj - 8) · x[xOff + 32b + j])} with f32 vectors. */
    private float dotF32(long row, float[] x, int xOff) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocksPerRow; b++) {
            long block = row + (long) b * BLOCK_BYTES;
            int xb = xOff + b * QK;
            // Bytes g..g+LANES-1 hold values g.. (low nibbles) and 16+g.. (high nibbles).
            IntVector q = widen(block + 2);
            FloatVector s = lowNibbles(q).mul(FloatVector.fromArray(F, x, xb));
            s = highNibbles(q).fma(FloatVector.fromArray(F, x, xb + QK / 2), s);
            for (int g = LANES; g < QK / 2; g += LANES) {
                q = widen(block + 2 + g);
                s = lowNibbles(q).fma(FloatVector.fromArray(F, x, xb + g), s);
                s = highNibbles(q).fma(FloatVector.fromArray(F, x, xb + QK / 2 + g), s);
            }
            acc = s.fma(FloatVector.broadcast(F, Float.float16ToFloat(data.get(Layouts.I16, block))), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** {@link FloatWidth#LANES} quant bytes at {@code offset}, zero-extended to int lanes. */
    private IntVector widen(long offset) {
        return (IntVector) ByteVector.fromMemorySegment(FloatWidth.BYTES, data, offset, LE)
                .convertShape(VectorOperators.ZERO_EXTEND_B2I, FloatWidth.INTS, 0);
    }

    /*
     * A nibble n becomes the f32 n - 8 without an int-to-float conversion: OR-ing n into the mantissa of 2^23
     * (bits 0x4B000000) gives exactly 2^23 + n, and subtracting 2^23 + 8 leaves n - 8, exact.
     */
    private static FloatVector lowNibbles(IntVector bytes) {
        return bytes.and(0x0F).or(0x4B000000).reinterpretAsFloats().sub(TWO_POW_23_PLUS_8);
    }

    private static FloatVector highNibbles(IntVector bytes) {
        return bytes.lanewise(VectorOperators.LSHR, 4).or(0x4B000000).reinterpretAsFloats().sub(TWO_POW_23_PLUS_8);
    }

    /** ggml_vec_dot_q4_0_q8_0 (AVX2) of a weight row with activation row {@code t}. */
    private float dotQ8(long row, Q8Activations a, int t) {
        FloatVector accLow = FloatVector.zero(F128);
        FloatVector accHigh = accLow;
        int first = t * a.blocksPerRow();
        for (int b = 0; b < blocksPerRow; b++) {
            long block = row + (long) b * BLOCK_BYTES;
            int ab = first + b;
            ShortVector w = ShortVector.fromMemorySegment(S128, data, block + 2, LE);
            ShortVector even0 = w.and((short) 0x0F);
            ShortVector odd0 = w.lanewise(VectorOperators.LSHR, 8).and((short) 0x0F);
            ShortVector even1 = w.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F);
            ShortVector odd1 = w.lanewise(VectorOperators.LSHR, 12);
            ShortVector pairs0 = even0.mul(ShortVector.fromArray(S128, a.even, ab * 16))
                    .add(odd0.mul(ShortVector.fromArray(S128, a.odd, ab * 16)));
            ShortVector pairs1 = even1.mul(ShortVector.fromArray(S128, a.even, ab * 16 + 8))
                    .add(odd1.mul(ShortVector.fromArray(S128, a.odd, ab * 16 + 8)));
            IntVector sums0 = halvesAdded(pairs0.reinterpretAsInts()).sub(IntVector.fromArray(I128, a.sum8, ab * 8));
            IntVector sums1 = halvesAdded(pairs1.reinterpretAsInts()).sub(IntVector.fromArray(I128, a.sum8, ab * 8 + 4));
            FloatVector d = FloatVector.broadcast(F128, Float.float16ToFloat(data.get(Layouts.I16, block)) * a.scale[ab]);
            accLow = ((FloatVector) sums0.convert(VectorOperators.I2F, 0)).fma(d, accLow);
            accHigh = ((FloatVector) sums1.convert(VectorOperators.I2F, 0)).fma(d, accHigh);
        }
        return VectorSums.ggmlHsum(accLow, accHigh);
    }

    /** Per int lane, the total of its two signed 16-bit halves (AVX2's {@code _mm_madd_epi16(ones, x)}). */
    private static IntVector halvesAdded(IntVector halves) {
        IntVector low = halves.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16);
        return low.add(halves.lanewise(VectorOperators.ASHR, 16));
    }

    /** Dequantizes {@code count} values of row {@code r} from column {@code col} (both multiples of 32). */
    private void dequantize(int r, int col, int count, float[] out, int offset) {
        long row = r * rowBytes;
        for (int c = 0; c < count; c += QK) {
            long block = row + (long) ((col + c) / QK) * BLOCK_BYTES;
            FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(data.get(Layouts.I16, block)));
            for (int g = 0; g < QK / 2; g += LANES) {
                IntVector q = widen(block + 2 + g);
                lowNibbles(q).mul(d).intoArray(out, offset + c + g);
                highNibbles(q).mul(d).intoArray(out, offset + c + QK / 2 + g);
            }
        }
    }
}
