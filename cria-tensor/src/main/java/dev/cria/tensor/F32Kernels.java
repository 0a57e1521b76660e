package dev.cria.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * fp32 products of row-major weights {@code W} (a {@link MemorySegment}, row {@code r} at {@code base + r·rowBytes})
 * with activations in {@code float[]}.
 *
 * <p>Matrix-vector: memory-bound, so each row is one sequential stream with 4 independent accumulators; reading
 * several rows at once (sharing each load of {@code x}) measured faster only while {@code W} sits in cache, and
 * about 1.7 times slower from DRAM, where interleaved streams defeat the prefetcher.
 *
 * <p>Matrix-matrix ({@code Y[t][r] = W[r,:] · X[t,:]}, both operands contiguous along {@code cols}): compute-bound.
 * A register tile of 4 rows × 4 tokens keeps 16 vector accumulators of partial dot products along {@code cols} and
 * sums each one's lanes at the end, so neither operand is packed. Loops run token blocks (whose slice of {@code X}
 * stays in L2), then 4-row tiles (whose rows of {@code W} stay in L1 across the block's tokens), then 4-token tiles.
 * Every tile shape sums in the same order (one accumulator per output, lanes by {@link #sum}, then {@link #tail}),
 * so an output does not depend on which tile, token block or thread computed it.
 *
 * <p>256-bit vectors: on this Zen 4 machine the 512-bit FMA rate was lower (81 vs 85-105 GFLOP/s per core), and with
 * AVX-512 enabled the JIT still has 32 vector registers for the 16 accumulators.
 *
 * <p>Segments must be native (see {@link Matrices#kernelSegment}): the JIT's type profile for segment vector loads is
 * shared by the whole JVM, and a second segment implementation class makes every load a type switch or a virtual
 * call.
 */
final class F32Kernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = S.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final VectorShuffle<Float> SWAP_HALVES = VectorShuffle.fromValues(S, 4, 5, 6, 7, 0, 1, 2, 3);
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromValues(S, 2, 3, 0, 1, 6, 7, 4, 5);
    private static final VectorShuffle<Float> SWAP_NEIGHBOURS = VectorShuffle.fromValues(S, 1, 0, 3, 2, 5, 4, 7, 6);

    /** Rows of {@code W} per register tile; callers splitting rows over threads use multiples of it. */
    static final int TILE_ROWS = 4;
    private static final int TILE_TOKENS = 4;
    /** Bytes of {@code X} per token block: half of the 1 MiB L2, leaving room for the W tile and Y. */
    private static final int TOKEN_BLOCK_BYTES = 512 * 1024;

    private F32Kernels() {
    }

    /**
     * The sum of the 8 lanes as {@code ((v0 + v4) + (v2 + v6)) + ((v1 + v5) + (v3 + v7))}. Not
     * {@code reduceLanes(ADD)}: its order is the JIT's choice and differs between C2 and the Java fallback that runs
     * before C2 compiles, so the same product could change in the last bit while a program warms up (and two runs
     * with different thread counts disagree). Lane-wise adds are exact IEEE operations in every tier.
     */
    static float sum(FloatVector v) {
        FloatVector h = v.add(v.rearrange(SWAP_HALVES));
        FloatVector q = h.add(h.rearrange(SWAP_PAIRS));
        return q.add(q.rearrange(SWAP_NEIGHBOURS)).lane(0);
    }

    /**
     * {@code W[row,:] · x[xOff, xOff + cols)} where the row starts at byte {@code wOff}: accumulator {@code j}
     * takes the vectors {@code j, j + 4, ...}, a masked step takes the last partial vector (into accumulator 1),
     * then {@code sum((a0 + a1) + (a2 + a3))}.
     */
    static float dot(MemorySegment w, long wOff, float[] x, int xOff, int cols) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int c = 0;
        for (int bound4 = cols - cols % (4 * L); c < bound4; c += 4 * L) {
            long o = wOff + 4L * c;
            a0 = FloatVector.fromMemorySegment(S, w, o, LE).fma(FloatVector.fromArray(S, x, xOff + c), a0);
            a1 = FloatVector.fromMemorySegment(S, w, o + 4 * L, LE).fma(FloatVector.fromArray(S, x, xOff + c + L), a1);
            a2 = FloatVector.fromMemorySegment(S, w, o + 8 * L, LE).fma(FloatVector.fromArray(S, x, xOff + c + 2 * L), a2);
            a3 = FloatVector.fromMemorySegment(S, w, o + 12 * L, LE).fma(FloatVector.fromArray(S, x, xOff + c + 3 * L), a3);
        }
        for (int bound = S.loopBound(cols); c < bound; c += L) {
            a0 = FloatVector.fromMemorySegment(S, w, wOff + 4L * c, LE).fma(FloatVector.fromArray(S, x, xOff + c), a0);
        }
        if (c < cols) {
            VectorMask<Float> m = S.indexInRange(c, cols);
            a1 = FloatVector.fromMemorySegment(S, w, wOff + 4L * c, LE, m).fma(FloatVector.fromArray(S, x, xOff + c, m), a1);
        }
        return sum(a0.add(a1).add(a2.add(a3)));
    }

    /** {@code a[aOff, aOff + len) · b[bOff, bOff + len)}, summed as {@link #dot(MemorySegment, long, float[], int, int)}. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (int bound4 = len - len % (4 * L); i < bound4; i += 4 * L) {
            a0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), a0);
            a1 = FloatVector.fromArray(S, a, aOff + i + L).fma(FloatVector.fromArray(S, b, bOff + i + L), a1);
            a2 = FloatVector.fromArray(S, a, aOff + i + 2 * L).fma(FloatVector.fromArray(S, b, bOff + i + 2 * L), a2);
            a3 = FloatVector.fromArray(S, a, aOff + i + 3 * L).fma(FloatVector.fromArray(S, b, bOff + i + 3 * L), a3);
        }
        for (int bound = S.loopBound(len); i < bound; i += L) {
            a0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), a0);
        }
        if (i < len) {
            VectorMask<Float> m = S.indexInRange(i, len);
            a1 = FloatVector.fromArray(S, a, aOff + i, m).fma(FloatVector.fromArray(S, b, bOff + i, m), a1);
        }
        return sum(a0.add(a1).add(a2.add(a3)));
    }

    /** {@code y[r] = W[r,:] · x} for {@code r} in {@code [from, to)}. */
    static void matvec(MemorySegment w, long base, long rowBytes, int cols, float[] x, float[] y, int from, int to) {
        for (int r = from; r < to; r++) {
            y[r] = dot(w, base + r * rowBytes, x, 0, cols);
        }
    }

    /**
     * {@code Y[t][r] = W[r,:] · X[t,:]} for {@code t < n} and {@code r} in {@code [from, to)}; {@code X} is
     * {@code n × cols}, {@code Y} is {@code n × yStride}, both row-major.
     */
    static void matmul(MemorySegment w, long base, long rowBytes, int cols, float[] x, int n, float[] y, int yStride,
                       int from, int to) {
        int block = tokenBlock(cols);
        for (int t0 = 0; t0 < n; t0 += block) {
            int t1 = Math.min(n, t0 + block);
            for (int r = from; r < to; r += TILE_ROWS) {
                rowTile(w, base + r * rowBytes, rowBytes, Math.min(TILE_ROWS, to - r), cols, x, t0, t1, y, yStride, r);
            }
        }
    }

    /** Tokens per block so that a block of {@code X} fills {@link #TOKEN_BLOCK_BYTES}, a multiple of the tile. */
    static int tokenBlock(int cols) {
        int tokens = TOKEN_BLOCK_BYTES / (4 * Math.max(cols, 1));
        return Math.max(TILE_TOKENS, tokens - tokens % TILE_TOKENS);
    }

    /**
     * {@code Y[t][r0 + i] = W_i · X[t,:]} for {@code i < tileRows} (at most 4) and {@code t} in {@code [t0, t1)},
     * where row {@code W_i} starts at byte {@code wOff + i·rowBytes}.
     */
    static void rowTile(MemorySegment w, long wOff, long rowBytes, int tileRows, int cols, float[] x, int t0, int t1,
                        float[] y, int yStride, int r0) {
        if (tileRows == TILE_ROWS) {
            int t = t0;
            for (; t + TILE_TOKENS <= t1; t += TILE_TOKENS) {
                tile4x4(w, wOff, rowBytes, x, t * cols, cols, y, t * yStride + r0, yStride);
            }
            for (; t < t1; t++) {
                tile4x1(w, wOff, rowBytes, x, t * cols, cols, y, t * yStride + r0, yStride);
            }
            return;
        }
        for (int i = 0; i < tileRows; i++) {
            long rowOff = wOff + i * rowBytes;
            int t = t0;
            for (; t + TILE_TOKENS <= t1; t += TILE_TOKENS) {
                tile1x4(w, rowOff, rowBytes, x, t * cols, cols, y, t * yStride + r0 + i, yStride);
            }
            for (; t < t1; t++) {
                tile1x1(w, rowOff, rowBytes, x, t * cols, cols, y, t * yStride + r0 + i, yStride);
            }
        }
    }

    /** 4 rows × 4 tokens: 16 accumulators; each step loads 4 + 4 vectors for 16 FMAs. */
    private static void tile4x4(
            MemorySegment w, long wOff, long rowBytes, float[] x, int xOff, int cols, float[] y, int yOff, int yStride) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector a00 = zero, a01 = zero, a02 = zero, a03 = zero;
        FloatVector a10 = zero, a11 = zero, a12 = zero, a13 = zero;
        FloatVector a20 = zero, a21 = zero, a22 = zero, a23 = zero;
        FloatVector a30 = zero, a31 = zero, a32 = zero, a33 = zero;
        int bound = S.loopBound(cols);
        for (int c = 0; c < bound; c += L) {
            long o = wOff + 4L * c;
            FloatVector w0 = FloatVector.fromMemorySegment(S, w, o, LE);
            FloatVector w1 = FloatVector.fromMemorySegment(S, w, o + rowBytes, LE);
            FloatVector w2 = FloatVector.fromMemorySegment(S, w, o + 2 * rowBytes, LE);
            FloatVector w3 = FloatVector.fromMemorySegment(S, w, o + 3 * rowBytes, LE);
            FloatVector x0 = FloatVector.fromArray(S, x, xOff + c);
            a00 = w0.fma(x0, a00); a10 = w1.fma(x0, a10); a20 = w2.fma(x0, a20); a30 = w3.fma(x0, a30);
            FloatVector x1 = FloatVector.fromArray(S, x, xOff + cols + c);
            a01 = w0.fma(x1, a01); a11 = w1.fma(x1, a11); a21 = w2.fma(x1, a21); a31 = w3.fma(x1, a31);
            FloatVector x2 = FloatVector.fromArray(S, x, xOff + 2 * cols + c);
            a02 = w0.fma(x2, a02); a12 = w1.fma(x2, a12); a22 = w2.fma(x2, a22); a32 = w3.fma(x2, a32);
            FloatVector x3 = FloatVector.fromArray(S, x, xOff + 3 * cols + c);
            a03 = w0.fma(x3, a03); a13 = w1.fma(x3, a13); a23 = w2.fma(x3, a23); a33 = w3.fma(x3, a33);
        }
        y[yOff] = tail(sum(a00), w, wOff, x, xOff, bound, cols);
        y[yOff + 1] = tail(sum(a10), w, wOff + rowBytes, x, xOff, bound, cols);
        y[yOff + 2] = tail(sum(a20), w, wOff + 2 * rowBytes, x, xOff, bound, cols);
        y[yOff + 3] = tail(sum(a30), w, wOff + 3 * rowBytes, x, xOff, bound, cols);
        y[yOff + yStride] = tail(sum(a01), w, wOff, x, xOff + cols, bound, cols);
        y[yOff + yStride + 1] = tail(sum(a11), w, wOff + rowBytes, x, xOff + cols, bound, cols);
        y[yOff + yStride + 2] = tail(sum(a21), w, wOff + 2 * rowBytes, x, xOff + cols, bound, cols);
        y[yOff + yStride + 3] = tail(sum(a31), w, wOff + 3 * rowBytes, x, xOff + cols, bound, cols);
        y[yOff + 2 * yStride] = tail(sum(a02), w, wOff, x, xOff + 2 * cols, bound, cols);
        y[yOff + 2 * yStride + 1] = tail(sum(a12), w, wOff + rowBytes, x, xOff + 2 * cols, bound, cols);
        y[yOff + 2 * yStride + 2] = tail(sum(a22), w, wOff + 2 * rowBytes, x, xOff + 2 * cols, bound, cols);
        y[yOff + 2 * yStride + 3] = tail(sum(a32), w, wOff + 3 * rowBytes, x, xOff + 2 * cols, bound, cols);
        y[yOff + 3 * yStride] = tail(sum(a03), w, wOff, x, xOff + 3 * cols, bound, cols);
        y[yOff + 3 * yStride + 1] = tail(sum(a13), w, wOff + rowBytes, x, xOff + 3 * cols, bound, cols);
        y[yOff + 3 * yStride + 2] = tail(sum(a23), w, wOff + 2 * rowBytes, x, xOff + 3 * cols, bound, cols);
        y[yOff + 3 * yStride + 3] = tail(sum(a33), w, wOff + 3 * rowBytes, x, xOff + 3 * cols, bound, cols);
    }

    /** 4 rows × 1 token, for the tokens left over after the 4-token tiles. */
    private static void tile4x1(
            MemorySegment w, long wOff, long rowBytes, float[] x, int xOff, int cols, float[] y, int yOff, int yStride) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector a00 = zero;
        FloatVector a10 = zero;
        FloatVector a20 = zero;
        FloatVector a30 = zero;
        int bound = S.loopBound(cols);
        for (int c = 0; c < bound; c += L) {
            long o = wOff + 4L * c;
            FloatVector w0 = FloatVector.fromMemorySegment(S, w, o, LE);
            FloatVector w1 = FloatVector.fromMemorySegment(S, w, o + rowBytes, LE);
            FloatVector w2 = FloatVector.fromMemorySegment(S, w, o + 2 * rowBytes, LE);
            FloatVector w3 = FloatVector.fromMemorySegment(S, w, o + 3 * rowBytes, LE);
            FloatVector x0 = FloatVector.fromArray(S, x, xOff + c);
            a00 = w0.fma(x0, a00); a10 = w1.fma(x0, a10); a20 = w2.fma(x0, a20); a30 = w3.fma(x0, a30);
        }
        y[yOff] = tail(sum(a00), w, wOff, x, xOff, bound, cols);
        y[yOff + 1] = tail(sum(a10), w, wOff + rowBytes, x, xOff, bound, cols);
        y[yOff + 2] = tail(sum(a20), w, wOff + 2 * rowBytes, x, xOff, bound, cols);
        y[yOff + 3] = tail(sum(a30), w, wOff + 3 * rowBytes, x, xOff, bound, cols);
    }

    /** 1 row × 4 tokens, for the rows left over after the 4-row tiles. */
    private static void tile1x4(
            MemorySegment w, long wOff, long rowBytes, float[] x, int xOff, int cols, float[] y, int yOff, int yStride) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector a00 = zero, a01 = zero, a02 = zero, a03 = zero;
        int bound = S.loopBound(cols);
        for (int c = 0; c < bound; c += L) {
            long o = wOff + 4L * c;
            FloatVector w0 = FloatVector.fromMemorySegment(S, w, o, LE);
            FloatVector x0 = FloatVector.fromArray(S, x, xOff + c);
            a00 = w0.fma(x0, a00);
            FloatVector x1 = FloatVector.fromArray(S, x, xOff + cols + c);
            a01 = w0.fma(x1, a01);
            FloatVector x2 = FloatVector.fromArray(S, x, xOff + 2 * cols + c);
            a02 = w0.fma(x2, a02);
            FloatVector x3 = FloatVector.fromArray(S, x, xOff + 3 * cols + c);
            a03 = w0.fma(x3, a03);
        }
        y[yOff] = tail(sum(a00), w, wOff, x, xOff, bound, cols);
        y[yOff + yStride] = tail(sum(a01), w, wOff, x, xOff + cols, bound, cols);
        y[yOff + 2 * yStride] = tail(sum(a02), w, wOff, x, xOff + 2 * cols, bound, cols);
        y[yOff + 3 * yStride] = tail(sum(a03), w, wOff, x, xOff + 3 * cols, bound, cols);
    }

    /** 1 row × 1 token, for the corner left over by both. */
    private static void tile1x1(
            MemorySegment w, long wOff, long rowBytes, float[] x, int xOff, int cols, float[] y, int yOff, int yStride) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector a00 = zero;
        int bound = S.loopBound(cols);
        for (int c = 0; c < bound; c += L) {
            long o = wOff + 4L * c;
            FloatVector w0 = FloatVector.fromMemorySegment(S, w, o, LE);
            FloatVector x0 = FloatVector.fromArray(S, x, xOff + c);
            a00 = w0.fma(x0, a00);
        }
        y[yOff] = tail(sum(a00), w, wOff, x, xOff, bound, cols);
    }

    /**
     * {@code s} plus the columns {@code [from, cols)} that did not fill a vector, in scalar FMAs. The tiles leave
     * their last partial vector to this instead of a masked step: that doubles the size of a tile method, and at
     * that size C1 (tier 3) was seen to run out of virtual registers compiling it, leaving the tile unoptimized
     * (boxed vectors, 100 times slower) for a whole run.
     */
    private static float tail(float s, MemorySegment w, long rowOff, float[] x, int xOff, int from, int cols) {
        for (int c = from; c < cols; c++) {
            s = Math.fma(w.get(Layouts.F32, rowOff + 4L * c), x[xOff + c], s);
        }
        return s;
    }
}
