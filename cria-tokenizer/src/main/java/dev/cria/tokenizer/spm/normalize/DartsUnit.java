package dev.cria.tokenizer.spm.normalize;

/**
 * The 32-bit unit of a Darts-clone double array, as SentencePiece stores it in {@code precompiled_charsmap}.
 *
 * <p>Bit layout of a unit {@code u} (darts-clone 0.32, {@code DoubleArrayUnit}):
 * <pre>
 *   bit 31      1 = leaf unit: bits 0..30 are the value (here: an offset into the replacement strings)
 *   bits 0..7   label: the key byte that leads to this unit (a leaf's "label" keeps bit 31, so no byte matches it)
 *   bit 8       has_leaf: the node ends a key; its value unit sits at base ^ 0 = base
 *   bit 9       offset scale: 0 means offset = u >>> 10, 1 means offset = (u >>> 10) << 8
 *   bits 10..31 offset: base = index ^ offset, and the child for byte c sits at base ^ c
 * </pre>
 * The scaled form lets an offset of up to 2^29 fit in 22 bits when its low 8 bits are zero.
 */
final class DartsUnit {

    static final int LEAF_BIT = 1 << 31;
    static final int HAS_LEAF_BIT = 1 << 8;
    private static final int SCALE_BIT = 1 << 9;
    /** Offsets below this are stored unscaled. */
    static final int MAX_UNSCALED_OFFSET = 1 << 21;
    private static final int MAX_SCALED_OFFSET = 1 << 29;

    private DartsUnit() {
    }

    static boolean hasLeaf(int unit) {
        return (unit & HAS_LEAF_BIT) != 0;
    }

    /** The value of a leaf unit. */
    static int value(int unit) {
        return unit & ~LEAF_BIT;
    }

    /** The label, with bit 31 kept so that a leaf unit never equals a byte. */
    static int label(int unit) {
        return unit & (LEAF_BIT | 0xFF);
    }

    static boolean isLeaf(int unit) {
        return unit < 0;
    }

    /** The offset from this unit's index to its children's base; shift by 0 or 8 depending on bit 9. */
    static int offset(int unit) {
        return (unit >>> 10) << ((unit & SCALE_BIT) >>> 6);
    }

    static int leaf(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative leaf value " + value);
        }
        return value | LEAF_BIT;
    }

    /** Whether {@code offset} can be stored: below 2^21, or below 2^29 with its low 8 bits zero. */
    static boolean isEncodable(int offset) {
        return offset >= 0 && (offset < MAX_UNSCALED_OFFSET || (offset < MAX_SCALED_OFFSET && (offset & 0xFF) == 0));
    }

    /** A node unit: its label, whether a key ends here, and the offset to its children. */
    static int node(int label, boolean hasLeaf, int offset) {
        if (!isEncodable(offset)) {
            throw new IllegalArgumentException("offset " + offset + " cannot be stored in a darts unit");
        }
        int unit = (label & 0xFF) | (hasLeaf ? HAS_LEAF_BIT : 0);
        return offset < MAX_UNSCALED_OFFSET ? unit | (offset << 10) : unit | (offset << 2) | SCALE_BIT;
    }
}
