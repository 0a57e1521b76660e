package dev.cria.model.convert;

import dev.cria.tensor.DType;
import dev.cria.tensor.Layouts;
import dev.cria.tensor.Matrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.stream.IntStream;

/**
 * Re-encodes weights in another storage format: a matrix already in the target format is passed through
 * untouched (its bytes, not a copy); otherwise each row is dequantized to floats and encoded again (F16/BF16
 * round to nearest even; Q8_0/Q4_0 through a {@link BlockQuantizer}). Rows are independent, so large matrices
 * are encoded on all cores.
 */
public final class WeightEncoder {
    private static final int ROWS_PER_TASK = 64;

    private final BlockQuantizer q8;
    private final BlockQuantizer q4;

    /** Uses ggml's reference quantizers. */
    public WeightEncoder() {
        this(GgmlQuantizers.Q8_0, GgmlQuantizers.Q4_0);
    }

    public WeightEncoder(BlockQuantizer q8, BlockQuantizer q4) {
        if (q8.type() != DType.Q8_0 || q4.type() != DType.Q4_0) {
            throw new IllegalArgumentException("expected a Q8_0 and a Q4_0 quantizer, got " + q8.type() + " and " + q4.type());
        }
        this.q8 = q8;
        this.q4 = q4;
    }

    /** The bytes of {@code m} in {@code target}'s layout, row-major. */
    public MemorySegment encode(Matrix m, DType target) {
        if (m.type() == target) {
            return m.data();
        }
        long rowBytes = target.rowBytes(m.cols());
        MemorySegment out = allocate(rowBytes * m.rows());
        int tasks = (m.rows() + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream.range(0, tasks).parallel().forEach(task -> {
            float[] row = new float[m.cols()];
            int end = Math.min(m.rows(), (task + 1) * ROWS_PER_TASK);
            for (int r = task * ROWS_PER_TASK; r < end; r++) {
                m.dequantizeRow(r, row, 0);
                encodeRow(row, 0, row.length, target, out, r * rowBytes);
            }
        });
        return out;
    }

    /** Encodes {@code values} (a whole number of rows of {@code cols}) in {@code target}'s layout. */
    public MemorySegment encode(float[] values, int cols, DType target) {
        if (values.length % cols != 0) {
            throw new IllegalArgumentException(values.length + " values are not whole rows of " + cols);
        }
        long rowBytes = target.rowBytes(cols);
        int rows = values.length / cols;
        MemorySegment out = allocate(rowBytes * rows);
        for (int r = 0; r < rows; r++) {
            encodeRow(values, r * cols, cols, target, out, r * rowBytes);
        }
        return out;
    }

    private void encodeRow(float[] src, int from, int n, DType target, MemorySegment out, long at) {
        switch (target) {
            case F32 -> MemorySegment.copy(src, from, out, Layouts.F32, at, n);
            case F16 -> {
                for (int c = 0; c < n; c++) {
                    out.set(Layouts.I16, at + 2L * c, Layouts.f32ToF16(src[from + c]));
                }
            }
            case BF16 -> {
                for (int c = 0; c < n; c++) {
                    out.set(Layouts.I16, at + 2L * c, Layouts.f32ToBf16(src[from + c]));
                }
            }
            case Q8_0 -> q8.quantize(src, from, n, out, at);
            case Q4_0 -> q4.quantize(src, from, n, out, at);
        }
    }

    /**
     * Off-heap, freed when unreachable: one encoded matrix can exceed the 2 GiB of a Java array. Such memory counts
     * against {@code -XX:MaxDirectMemorySize} (by default the maximum heap size).
     */
    private static MemorySegment allocate(long bytes) {
        return Arena.ofAuto().allocate(bytes, 64);
    }
}
