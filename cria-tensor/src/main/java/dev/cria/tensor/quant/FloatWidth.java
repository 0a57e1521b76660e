package dev.cria.tensor.quant;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector width of the f32 kernels: 512 bits where the JIT offers it (AVX-512), else 256 (AVX2). A 32-value
 * block is then 2 or 4 vectors; the code loops over them with {@link #LANES} as a constant, so both widths compile
 * to straight-line code. With AVX-512 the JIT also has 32 vector registers instead of 16, which
 * {@link PanelMatmul} uses for a larger register tile.
 */
final class FloatWidth {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512
            ? FloatVector.SPECIES_512
            : FloatVector.SPECIES_256;
    static final int LANES = F.length();
    /** {@link #LANES} bytes: the quants that widen to one f32 vector. */
    static final VectorSpecies<Byte> BYTES = LANES == 16 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
    /** {@link #LANES} ints. */
    static final VectorSpecies<Integer> INTS = LANES == 16 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
    /** Whether the JIT has 32 vector registers (it does exactly when it offers 512-bit vectors). */
    static final boolean WIDE_REGISTER_FILE = LANES == 16;

    private FloatWidth() {
    }
}
