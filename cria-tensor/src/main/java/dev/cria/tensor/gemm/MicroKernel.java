package dev.cria.tensor.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tile: an {@link #MR}×{@link #NR} block of C held in vector accumulators while the kernel walks k,
 * each step broadcasting the MR elements of one packed A column against the two vectors of one packed B row.
 *
 * <p>Two shapes, picked once from the widest vectors the CPU runs natively. With AVX-512 (32 vector registers):
 * 12×32, 24 accumulators of 16 floats plus 2 B vectors and a broadcast, 24 FMAs per 2 loads and 12 broadcasts.
 * With AVX2 (16 registers): 4×16, 8 accumulators of 8 floats; 6×16 would need 15 live registers and C2 spills
 * them. Measured here (an AVX-512 Zen 4) in cache, per core: 12×32 on 512-bit vectors about 112 GFLOP/s, the FMA
 * ports' limit; 6×16 on 256-bit vectors about 96; restricted to AVX2, 4×16 about 93 and 6×16 48.
 * Both shapes form each element of C as the same fused chain over k, so the choice never changes the result.
 */
final class MicroKernel {
    static final boolean WIDE = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
    private static final VectorSpecies<Float> S512 = FloatVector.SPECIES_512;
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;
    /** The vectors the kernel uses: two of them span a row of the tile. */
    static final VectorSpecies<Float> SPECIES = WIDE ? S512 : S256;
    static final int MR = WIDE ? 12 : 4;
    static final int NR = WIDE ? 32 : 16;

    private MicroKernel() {
    }

    /**
     * {@code C[0..MR)[0..NR) (+)= Σ_p A[·][p]·B[p][·]} over {@code kc} steps; packed A element (r, p) at
     * {@code pa[ia + p·MR + r]}, packed B element (p, j) at {@code pb[ib + p·NR + j]}, C element (r, j) at
     * {@code c[ic + r·ldc + j]}. With {@code load} false the tile starts at 0 and C is only written.
     */
    static void tile(int kc, float[] pa, int ia, float[] pb, int ib, float[] c, int ic, int ldc, boolean load) {
        if (WIDE) {
            tile12x32(kc, pa, ia, pb, ib, c, ic, ldc, load);
        } else {
            tile4x16(kc, pa, ia, pb, ib, c, ic, ldc, load);
        }
    }

    private static void tile12x32(int kc, float[] pa, int ia, float[] pb, int ib, float[] c, int ic, int ldc,
            boolean load) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51,
                c60, c61, c70, c71, c80, c81, c90, c91, c100, c101, c110, c111;
        int r1 = ic + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        int r4 = r3 + ldc;
        int r5 = r4 + ldc;
        int r6 = r5 + ldc;
        int r7 = r6 + ldc;
        int r8 = r7 + ldc;
        int r9 = r8 + ldc;
        int r10 = r9 + ldc;
        int r11 = r10 + ldc;
        if (load) {
            c00 = FloatVector.fromArray(S512, c, ic);
            c01 = FloatVector.fromArray(S512, c, ic + 16);
            c10 = FloatVector.fromArray(S512, c, r1);
            c11 = FloatVector.fromArray(S512, c, r1 + 16);
            c20 = FloatVector.fromArray(S512, c, r2);
            c21 = FloatVector.fromArray(S512, c, r2 + 16);
            c30 = FloatVector.fromArray(S512, c, r3);
            c31 = FloatVector.fromArray(S512, c, r3 + 16);
            c40 = FloatVector.fromArray(S512, c, r4);
            c41 = FloatVector.fromArray(S512, c, r4 + 16);
            c50 = FloatVector.fromArray(S512, c, r5);
            c51 = FloatVector.fromArray(S512, c, r5 + 16);
            c60 = FloatVector.fromArray(S512, c, r6);
            c61 = FloatVector.fromArray(S512, c, r6 + 16);
            c70 = FloatVector.fromArray(S512, c, r7);
            c71 = FloatVector.fromArray(S512, c, r7 + 16);
            c80 = FloatVector.fromArray(S512, c, r8);
            c81 = FloatVector.fromArray(S512, c, r8 + 16);
            c90 = FloatVector.fromArray(S512, c, r9);
            c91 = FloatVector.fromArray(S512, c, r9 + 16);
            c100 = FloatVector.fromArray(S512, c, r10);
            c101 = FloatVector.fromArray(S512, c, r10 + 16);
            c110 = FloatVector.fromArray(S512, c, r11);
            c111 = FloatVector.fromArray(S512, c, r11 + 16);
        } else {
            FloatVector z = FloatVector.zero(S512);
            c00 = z;
            c01 = z;
            c10 = z;
            c11 = z;
            c20 = z;
            c21 = z;
            c30 = z;
            c31 = z;
            c40 = z;
            c41 = z;
            c50 = z;
            c51 = z;
            c60 = z;
            c61 = z;
            c70 = z;
            c71 = z;
            c80 = z;
            c81 = z;
            c90 = z;
            c91 = z;
            c100 = z;
            c101 = z;
            c110 = z;
            c111 = z;
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S512, pb, ib);
            FloatVector b1 = FloatVector.fromArray(S512, pb, ib + 16);
            FloatVector a = FloatVector.broadcast(S512, pa[ia]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S512, pa[ia + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S512, pa[ia + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S512, pa[ia + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S512, pa[ia + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S512, pa[ia + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S512, pa[ia + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S512, pa[ia + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
            a = FloatVector.broadcast(S512, pa[ia + 8]);
            c80 = a.fma(b0, c80);
            c81 = a.fma(b1, c81);
            a = FloatVector.broadcast(S512, pa[ia + 9]);
            c90 = a.fma(b0, c90);
            c91 = a.fma(b1, c91);
            a = FloatVector.broadcast(S512, pa[ia + 10]);
            c100 = a.fma(b0, c100);
            c101 = a.fma(b1, c101);
            a = FloatVector.broadcast(S512, pa[ia + 11]);
            c110 = a.fma(b0, c110);
            c111 = a.fma(b1, c111);
            ia += 12;
            ib += 32;
        }
        c00.intoArray(c, ic);
        c01.intoArray(c, ic + 16);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + 16);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + 16);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + 16);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + 16);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + 16);
        c60.intoArray(c, r6);
        c61.intoArray(c, r6 + 16);
        c70.intoArray(c, r7);
        c71.intoArray(c, r7 + 16);
        c80.intoArray(c, r8);
        c81.intoArray(c, r8 + 16);
        c90.intoArray(c, r9);
        c91.intoArray(c, r9 + 16);
        c100.intoArray(c, r10);
        c101.intoArray(c, r10 + 16);
        c110.intoArray(c, r11);
        c111.intoArray(c, r11 + 16);
    }

    private static void tile4x16(int kc, float[] pa, int ia, float[] pb, int ib, float[] c, int ic, int ldc,
            boolean load) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
        int r1 = ic + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        if (load) {
            c00 = FloatVector.fromArray(S256, c, ic);
            c01 = FloatVector.fromArray(S256, c, ic + 8);
            c10 = FloatVector.fromArray(S256, c, r1);
            c11 = FloatVector.fromArray(S256, c, r1 + 8);
            c20 = FloatVector.fromArray(S256, c, r2);
            c21 = FloatVector.fromArray(S256, c, r2 + 8);
            c30 = FloatVector.fromArray(S256, c, r3);
            c31 = FloatVector.fromArray(S256, c, r3 + 8);
        } else {
            FloatVector z = FloatVector.zero(S256);
            c00 = z;
            c01 = z;
            c10 = z;
            c11 = z;
            c20 = z;
            c21 = z;
            c30 = z;
            c31 = z;
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S256, pb, ib);
            FloatVector b1 = FloatVector.fromArray(S256, pb, ib + 8);
            FloatVector a = FloatVector.broadcast(S256, pa[ia]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S256, pa[ia + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S256, pa[ia + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S256, pa[ia + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            ia += 4;
            ib += 16;
        }
        c00.intoArray(c, ic);
        c01.intoArray(c, ic + 8);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + 8);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + 8);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + 8);
    }
}
