package dev.cria.bench;

import dev.cria.tensor.DType;
import dev.cria.tensor.HalfFloats;
import dev.cria.tensor.Matrices;
import dev.cria.tensor.Matrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/** Random weights in native memory, as a memory-mapped GGUF tensor would be. */
final class Weights {
    private Weights() {
    }

    /** A {@code rows × cols} matrix of {@code type} with N(0, 1) values, allocated in {@code arena}. */
    static Matrix random(Arena arena, DType type, int rows, int cols, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] row = new float[cols];
        long rowBytes = type.rowBytes(cols);
        MemorySegment data = arena.allocate(rowBytes * rows, 64);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                row[c] = (float) rnd.nextGaussian();
            }
            long off = r * rowBytes;
            switch (type) {
                case F32 -> MemorySegment.copy(row, 0, data, dev.cria.tensor.Layouts.F32, off, cols);
                case F16 -> HalfFloats.f32ToF16(row, 0, data, off, cols);
                case BF16 -> HalfFloats.f32ToBf16(row, 0, data, off, cols);
                default -> throw new IllegalArgumentException("no random " + type + " weights here");
            }
        }
        return Matrices.of(type, data, rows, cols);
    }

    static float[] gaussian(int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
