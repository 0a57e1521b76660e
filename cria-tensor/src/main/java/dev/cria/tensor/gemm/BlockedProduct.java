package dev.cria.tensor.gemm;

import static dev.cria.tensor.gemm.MicroKernel.MR;
import static dev.cria.tensor.gemm.MicroKernel.NR;

/**
 * The serial loop nest around the {@link MicroKernel} for one block of C: columns in panels of {@link #NC}
 * (packed op(B), {@code KC·NC} floats, in L2/L3), k in blocks of at most {@link #KC}, rows in blocks of
 * {@link #MC} (packed op(A), {@code MC·KC} floats = 216 KiB, in the 1 MiB L2); the macro-kernel walks B
 * micro-panels ({@code KC·NR} floats) in the outer loop so each is reused by every A micro-panel of the block.
 * KC = 384 puts k = 288 (the stories15M width) in one block, so C is written once instead of read and written per
 * block; measured here it beat 256 by about 10 % on those shapes and tied elsewhere. MC (96 … 240) and NC (512,
 * 1024) made no difference beyond the noise. The k blocking depends on k alone, never on the block of C or the
 * thread count, so the summation order is fixed.
 */
final class BlockedProduct {
    static final int KC = 384;
    static final int MC = 144;
    static final int NC = 1024 / NR * NR;

    private BlockedProduct() {
    }

    /** Computes rows {@code [rowFrom, rowTo)} × columns {@code [colFrom, colTo)} of C. */
    static void run(Operands op, int rowFrom, int rowTo, int colFrom, int colTo) {
        GemmScratch s = GemmScratch.current();
        int k = op.k;
        // Equal k blocks (768 → 384 + 384, 500 → 250 + 250, not 384 + 116) keep the micro-kernel's loop long.
        int kBlocks = Gemm.ceilDiv(k, KC);
        int kcMax = Gemm.ceilDiv(k, kBlocks);
        for (int jc = colFrom; jc < colTo; jc += NC) {
            int nc = Math.min(NC, colTo - jc);
            for (int p0 = 0; p0 < k; p0 += kcMax) {
                int kc = Math.min(kcMax, k - p0);
                boolean load = op.accumulate || p0 > 0;
                Packing.packB(op, p0, kc, jc, nc, s.packedB, s.rowOffsets);
                for (int ic = rowFrom; ic < rowTo; ic += MC) {
                    int mc = Math.min(MC, rowTo - ic);
                    Packing.packA(op, ic, mc, p0, kc, s.packedA);
                    macroKernel(op, s, kc, mc, nc, op.cOff + ic * op.ldc + jc, load);
                }
            }
        }
    }

    private static void macroKernel(Operands op, GemmScratch s, int kc, int mc, int nc, int cBase, boolean load) {
        float[] c = op.c;
        int ldc = op.ldc;
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int ci = cBase + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    MicroKernel.tile(kc, s.packedA, ir * kc, s.packedB, jr * kc, c, ci, ldc, load);
                } else {
                    edgeTile(kc, s, ir * kc, jr * kc, c, ci, ldc, mr, nr, load);
                }
            }
        }
    }

    /** A tile cut by the edge of C runs the full kernel on a padded copy, so its sums are formed the same way. */
    private static void edgeTile(int kc, GemmScratch s, int ia, int ib, float[] c, int ci, int ldc, int mr, int nr,
                                 boolean load) {
        float[] t = s.tile;
        if (load) {
            java.util.Arrays.fill(t, 0f);
            for (int r = 0; r < mr; r++) {
                System.arraycopy(c, ci + r * ldc, t, r * NR, nr);
            }
        }
        MicroKernel.tile(kc, s.packedA, ia, s.packedB, ib, t, 0, NR, load);
        for (int r = 0; r < mr; r++) {
            System.arraycopy(t, r * NR, c, ci + r * ldc, nr);
        }
    }
}
