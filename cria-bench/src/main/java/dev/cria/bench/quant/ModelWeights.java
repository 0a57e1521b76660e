package dev.cria.bench.quant;

import dev.cria.tensor.DType;
import dev.cria.tensor.Matrix;
import dev.cria.tensor.quant.Q4_0Matrix;
import dev.cria.tensor.quant.Q8_0Matrix;
import dev.cria.tensor.quant.QuantKernel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The weight matrices one token passes through in a Llama of a given shape (per layer wq, wk, wv, wo, w1, w3, w2,
 * then the classifier), quantized, off-heap like a memory-mapped GGUF. Random quants with a fixed f16 scale: the
 * kernels' speed does not depend on the values.
 */
record ModelWeights(List<Matrix> matrices, long bytes, long parameters, int dim, int hidden) {

    /** stories15M: dim 288, 6 layers, hidden 768, vocab 32000; stories110M: dim 768, 12 layers, hidden 2048. */
    static ModelWeights of(String shape, DType type, QuantKernel kernel, Arena arena) {
        return switch (shape) {
            case "stories15M" -> build(288, 768, 6, 32000, type, kernel, arena);
            case "stories110M" -> build(768, 2048, 12, 32000, type, kernel, arena);
            default -> throw new IllegalArgumentException("unknown shape " + shape + " (stories15M or stories110M)");
        };
    }

    private static ModelWeights build(int dim, int hidden, int layers, int vocab, DType type, QuantKernel kernel, Arena arena) {
        SplittableRandom random = new SplittableRandom(42);
        List<Matrix> matrices = new ArrayList<>();
        long bytes = 0;
        long parameters = 0;
        for (int l = 0; l < layers; l++) {
            int[][] shapes = {{dim, dim}, {dim, dim}, {dim, dim}, {dim, dim}, {hidden, dim}, {hidden, dim}, {dim, hidden}};
            for (int[] s : shapes) {
                matrices.add(matrix(s[0], s[1], type, kernel, arena, random));
            }
        }
        matrices.add(matrix(vocab, dim, type, kernel, arena, random));
        for (Matrix m : matrices) {
            bytes += m.data().byteSize();
            parameters += (long) m.rows() * m.cols();
        }
        return new ModelWeights(List.copyOf(matrices), bytes, parameters, dim, hidden);
    }

    private static Matrix matrix(int rows, int cols, DType type, QuantKernel kernel, Arena arena, SplittableRandom random) {
        long size = type.rowBytes(cols) * rows;
        MemorySegment data = arena.allocate(size, 64);
        byte[] chunk = new byte[type.blockBytes()];
        short scale = Float.floatToFloat16(0.01f);
        for (long at = 0; at < size; at += type.blockBytes()) {
            random.nextBytes(chunk);
            chunk[0] = (byte) scale;
            chunk[1] = (byte) (scale >>> 8);
            MemorySegment.copy(chunk, 0, data, ValueLayout.JAVA_BYTE, at, chunk.length);
        }
        return type == DType.Q8_0 ? new Q8_0Matrix(data, rows, cols, kernel) : new Q4_0Matrix(data, rows, cols, kernel);
    }
}
