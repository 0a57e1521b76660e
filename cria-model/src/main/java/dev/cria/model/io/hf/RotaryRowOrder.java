package dev.cria.model.io.hf;

import dev.cria.tensor.Matrices;
import dev.cria.tensor.Matrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The two orders of the query and key rows inside each attention head, and the permutation between them.
 *
 * <p>Meta's checkpoints, llama2.c and GGUF rotate adjacent pairs: rotary embedding frequency {@code i} turns
 * the components {@code (2i, 2i+1)} of a head. Hugging Face's Llama rotates halves ({@code rotate_half}):
 * frequency {@code i} turns {@code (i, i + headSize/2)}. transformers' {@code convert_llama_weights_to_hf.py}
 * therefore reorders the rows of {@code wq} and {@code wk} when it converts Meta weights, and llama.cpp's
 * {@code convert_hf_to_gguf.py} ({@code permute}: reshape to {@code (heads, 2, headSize/2, cols)}, swap the
 * middle axes) undoes it. For head {@code h}, frequency {@code i < headSize/2} and {@code j} in {0, 1}:
 * <pre>
 *   pairs row  h·headSize + 2i + j
 *   halves row h·headSize + j·headSize/2 + i
 * </pre>
 * Queries use the query heads, keys the key/value heads. Since attention scores are dot products of a query and a
 * key rotated alike, reordering both projections the same way leaves every score, and so the model, unchanged.
 *
 * <p>The permuted matrix is a copy (rows moved as raw bytes, so any format, quantized included, is permuted
 * exactly), not a view that maps row indices: kernels read whole rows and blocks of rows from
 * {@link Matrix#data()}, which a view could not offer without copying on every product. It costs memory equal to
 * {@code wq} and {@code wk} (for Llama 2 7B, 1 GiB of its 13 GiB in f16), allocated off-heap in an automatic arena
 * and freed when the matrix is unreachable.
 */
public final class RotaryRowOrder {
    private RotaryRowOrder() {
    }

    /** Hugging Face (rotate halves) to GGUF/Meta (adjacent pairs): what llama.cpp's converter applies. */
    public static Matrix halvesToPairs(Matrix halves, int heads) {
        return permuteRows(halves, sourceRows(halves.rows(), heads, true));
    }

    /** GGUF/Meta (adjacent pairs) to Hugging Face (rotate halves): what transformers' converter applies. */
    public static Matrix pairsToHalves(Matrix pairs, int heads) {
        return permuteRows(pairs, sourceRows(pairs.rows(), heads, false));
    }

    /**
     * For each destination row, the source row it takes.
     *
     * @param toPairs true: destination in pairs order, source in halves order; false: the reverse
     */
    static int[] sourceRows(int rows, int heads, boolean toPairs) {
        if (heads <= 0 || rows % heads != 0 || (rows / heads) % 2 != 0) {
            throw new IllegalArgumentException(rows + " rows do not split into " + heads + " heads of an even size");
        }
        int headSize = rows / heads;
        int half = headSize / 2;
        int[] source = new int[rows];
        for (int h = 0; h < heads; h++) {
            int base = h * headSize;
            for (int i = 0; i < half; i++) {
                for (int j = 0; j < 2; j++) {
                    int pairs = base + 2 * i + j;
                    int halves = base + j * half + i;
                    if (toPairs) {
                        source[pairs] = halves;
                    } else {
                        source[halves] = pairs;
                    }
                }
            }
        }
        return source;
    }

    private static Matrix permuteRows(Matrix m, int[] sourceRow) {
        long rowBytes = m.type().rowBytes(m.cols());
        MemorySegment src = m.data();
        MemorySegment dst = Arena.ofAuto().allocate(rowBytes * m.rows(), 64);
        for (int r = 0; r < sourceRow.length; r++) {
            MemorySegment.copy(src, sourceRow[r] * rowBytes, dst, r * rowBytes, rowBytes);
        }
        return Matrices.of(m.type(), dst, m.rows(), m.cols());
    }
}
