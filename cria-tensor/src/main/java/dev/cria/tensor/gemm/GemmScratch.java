package dev.cria.tensor.gemm;

/**
 * One thread's packing buffers, sized once for the largest blocks, so that a product allocates nothing after the
 * first call on a thread.
 */
final class GemmScratch {
    private static final ThreadLocal<GemmScratch> PER_THREAD = ThreadLocal.withInitial(GemmScratch::new);

    final float[] packedA = new float[BlockedProduct.MC * BlockedProduct.KC];
    final float[] packedB = new float[BlockedProduct.KC * BlockedProduct.NC];
    /** An edge tile of C, padded to the full register tile. */
    final float[] tile = new float[MicroKernel.MR * MicroKernel.NR];

    /** Offsets of the NR stored rows of a transposed B panel, for the gathers that pack it. */
    final int[] rowOffsets = new int[MicroKernel.NR];

    static GemmScratch current() {
        return PER_THREAD.get();
    }
}
