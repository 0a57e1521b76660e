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
 * Q8_0 weights in GGML's layout ({@link Q8_0Codec}): each row is {@code cols / 32} blocks of an f16 scale and 32 int8.
 *
 * <p>Products run with the {@link QuantKernel} given at construction ({@link QuantKernel#defaultKernel()} otherwise):
 * <ul>
 * <li>{@link QuantKernel#F32} (default): per block, the quants widened to f32 vectors ({@link FloatWidth}: four
 *     of 8 lanes with AVX2, two of 16 with AVX-512) and multiplied with the activations, the block sum scaled once
 *     by {@code d}: {@code y[r] = Σ_b d_b · Σ_j q_bj x_bj}, f32 fused
 *     multiply-adds. Batches ({@link #matmul}) go through {@link PanelMatmul}, which dequantizes each weight once to
 *     its exact ggml value and reuses it across tokens.
 * <li>{@link QuantKernel#Q8_0}: llama.cpp's integer path, bit for bit ({@link Q8Activations}, AVX2
 *     {@code ggml_vec_dot_q8_0_q8_0}). A weight block loaded as 16 shorts holds {@code q[2i]} in the low and
 *     {@code q[2i+1]} in the high byte of lane i; two 16-bit products per lane and a pairwise add of neighbouring
 *     lanes give ggml's eight lane sums {@code Σ_{j=4k}^{4k+3} q_j y_j} exactly (|sum| ≤ 2·128·127 fits 16 bits),
 *     each accumulated as {@code fma(d_w · d_x, sum, acc)} and reduced in ggml's order.
 * </ul>
 */
public final class Q8_0Matrix implements Matrix {
    private static final VectorSpecies<Float> F = FloatWidth.F;
    private static final int LANES = FloatWidth.LANES;
    private static final VectorSpecies<Float> F256 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Short> S256 = ShortVector.SPECIES_256;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int QK = Q8_0Codec.BLOCK_SIZE;
    private static final int BLOCK_BYTES = Q8_0Codec.BLOCK_BYTES;

    private final MemorySegment data;
    private final int rows;
    private final int cols;
    private final int blocksPerRow;
    private final long rowBytes;
    private final QuantKernel kernel;
    private final PanelMatmul.RowDequantizer panelSource = this::dequantize;

    public Q8_0Matrix(MemorySegment data, int rows, int cols) {
        this(data, rows, cols, QuantKernel.defaultKernel());
    }

    public Q8_0Matrix(MemorySegment data, int rows, int cols, QuantKernel kernel) {
        Shapes.checkMatrix(DType.Q8_0, data, rows, cols);
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
        return DType.Q8_0;
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

    /** {@code Σ_b d_b · (Σ_j q_bj · x[xOff + 32b + j])} with f32 vectors. */
    private float dotF32(long row, float[] x, int xOff) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocksPerRow; b++) {
            long block = row + (long) b * BLOCK_BYTES;
            int xb = xOff + b * QK;
            FloatVector s = widen(block + 2).mul(FloatVector.fromArray(F, x, xb));
            for (int g = LANES; g < QK; g += LANES) {
                s = widen(block + 2 + g).fma(FloatVector.fromArray(F, x, xb + g), s);
            }
            acc = s.fma(FloatVector.broadcast(F, Float.float16ToFloat(data.get(Layouts.I16, block))), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** {@link FloatWidth#LANES} int8 quants at {@code offset} as f32. */
    private FloatVector widen(long offset) {
        return (FloatVector) ByteVector.fromMemorySegment(FloatWidth.BYTES, data, offset, LE).convertShape(VectorOperators.B2F, F, 0);
    }

    /** ggml_vec_dot_q8_0_q8_0 (AVX2) of a weight row with activation row {@code t}. */
    private float dotQ8(long row, Q8Activations a, int t) {
        FloatVector acc = FloatVector.zero(F256);
        int first = t * a.blocksPerRow();
        for (int b = 0; b < blocksPerRow; b++) {
            long block = row + (long) b * BLOCK_BYTES;
            int ab = first + b;
            ShortVector w = ShortVector.fromMemorySegment(S256, data, block + 2, LE);
            ShortVector wEven = w.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8);
            ShortVector wOdd = w.lanewise(VectorOperators.ASHR, 8);
            ShortVector pairs = wEven.mul(ShortVector.fromArray(S256, a.even, ab * 16))
                    .add(wOdd.mul(ShortVector.fromArray(S256, a.odd, ab * 16)));
            FloatVector sums = (FloatVector) halvesAdded(pairs.reinterpretAsInts()).convert(VectorOperators.I2F, 0);
            float d = Float.float16ToFloat(data.get(Layouts.I16, block)) * a.scale[ab];
            acc = sums.fma(FloatVector.broadcast(F256, d), acc);
        }
        return VectorSums.ggmlHsum(acc);
    }

    /**
     * Each int lane holds two signed 16-bit sums (low and high half); returns their total per lane, as AVX2's
     * {@code _mm256_madd_epi16(ones, x)} does.
     */
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
            for (int g = 0; g < QK; g += LANES) {
                widen(block + 2 + g).mul(d).intoArray(out, offset + c + g);
            }
        }
    }
}
