package dev.cria.tensor.gemm;

import static dev.cria.tensor.gemm.MicroKernel.MR;
import static dev.cria.tensor.gemm.MicroKernel.NR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of op(A) and op(B) into the layouts the {@link MicroKernel} streams: op(A) rows
 * {@code [i0, i0+mc)} × k {@code [p0, p0+kc)} as panels of {@link MicroKernel#MR} rows, each column of a panel
 * contiguous; op(B) k {@code [p0, p0+kc)} × columns {@code [j0, j0+nc)} as panels of {@link MicroKernel#NR}
 * columns, each row of a panel contiguous. Panels are padded with zeros to full width, so edge tiles add exact
 * zeros and keep the same summation order as full ones.
 */
final class Packing {
    private static final VectorSpecies<Float> V = MicroKernel.SPECIES;
    private static final int HALF = NR / 2;

    private Packing() {
    }

    /** Panel q (rows {@code i0 + q·MR …}) starts at {@code dst[q·MR·kc]}; element (r, p) at {@code + p·MR + r}. */
    static void packA(Operands op, int i0, int mc, int p0, int kc, float[] dst) {
        float[] a = op.a;
        int lda = op.lda;
        if (op.transA) {
            // op(A)(i, p) = a[p·lda + i]: walk each stored row once, handing MR consecutive floats to every panel.
            int panels = Gemm.ceilDiv(mc, MR);
            for (int p = 0; p < kc; p++) {
                int src = op.aOff + (p0 + p) * lda + i0;
                for (int q = 0; q < panels; q++) {
                    int r0 = q * MR;
                    int rows = Math.min(MR, mc - r0);
                    int d = r0 * kc + p * MR;
                    System.arraycopy(a, src + r0, dst, d, rows);
                    for (int r = rows; r < MR; r++) {
                        dst[d + r] = 0f;
                    }
                }
            }
            return;
        }
        for (int r0 = 0; r0 < mc; r0 += MR) {
            int rows = Math.min(MR, mc - r0);
            int base = r0 * kc;
            // op(A)(i, p) = a[i·lda + p]: each row is contiguous in p, written with stride MR.
            for (int r = 0; r < rows; r++) {
                int src = op.aOff + (i0 + r0 + r) * lda + p0;
                for (int p = 0; p < kc; p++) {
                    dst[base + p * MR + r] = a[src + p];
                }
            }
            for (int r = rows; r < MR; r++) {
                for (int p = 0; p < kc; p++) {
                    dst[base + p * MR + r] = 0f;
                }
            }
        }
    }

    /** Panel q (columns {@code j0 + q·NR …}) starts at {@code dst[q·NR·kc]}; element (p, j) at {@code + p·NR + j}. */
    static void packB(Operands op, int p0, int kc, int j0, int nc, float[] dst, int[] rowOffsets) {
        float[] b = op.b;
        int ldb = op.ldb;
        for (int c0 = 0; c0 < nc; c0 += NR) {
            int cols = Math.min(NR, nc - c0);
            int base = c0 * kc;
            if (op.transB && cols == NR) {
                // op(B)(p, j) = b[j·ldb + p]: a transpose. Each packed row gathers one float from each of the NR
                // stored rows, two vector gathers per p. It matters where few rows of A share a packed B: on the
                // 131-row logits blocks the product ran 13 % faster than with scalar copies (67 against 60 GFLOP
                // per CPU-second).
                int src = op.bOff + (j0 + c0) * ldb + p0;
                for (int j = 0; j < NR; j++) {
                    rowOffsets[j] = j * ldb;
                }
                for (int p = 0; p < kc; p++) {
                    int d = base + p * NR;
                    FloatVector.fromArray(V, b, src + p, rowOffsets, 0).intoArray(dst, d);
                    FloatVector.fromArray(V, b, src + p, rowOffsets, HALF).intoArray(dst, d + HALF);
                }
            } else if (op.transB) {
                // The last, narrower panel: scalar copies, zeros past the edge.
                for (int j = 0; j < cols; j++) {
                    int src = op.bOff + (j0 + c0 + j) * ldb + p0;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * NR + j] = b[src + p];
                    }
                }
                for (int j = cols; j < NR; j++) {
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * NR + j] = 0f;
                    }
                }
            } else {
                // op(B)(p, j) = b[p·ldb + j]: each step of p copies NR consecutive floats.
                int src = op.bOff + p0 * ldb + j0 + c0;
                for (int p = 0; p < kc; p++, src += ldb) {
                    int d = base + p * NR;
                    if (cols == NR) {
                        System.arraycopy(b, src, dst, d, NR);
                    } else {
                        System.arraycopy(b, src, dst, d, cols);
                        java.util.Arrays.fill(dst, d + cols, d + NR, 0f);
                    }
                }
            }
        }
    }
}
