package dev.cria.data.lm;

/**
 * 64-bit keys of n-grams of word ids, built from the last word leftwards, so the keys of {@code w}, {@code c1 w},
 * {@code c2 c1 w} come one from the other while a scorer backs off from the longest context (KenLM's probing model
 * hashes the same way). Distinct n-grams of one order collide with probability about 2^-64 per pair; like KenLM,
 * the tables store only the key.
 */
final class NgramHash {
    private static final long WORD_MULTIPLIER = 0x9E3779B97F4A7C15L;

    private NgramHash() {
    }

    /** Key of the one-word n-gram {@code word}. */
    static long word(int word) {
        return mix((word + 1L) * WORD_MULTIPLIER);
    }

    /** Key of {@code word} followed by the n-gram whose key is {@code suffix}. */
    static long extendLeft(long suffix, int word) {
        return mix(suffix ^ ((word + 1L) * 0xC2B2AE3D27D4EB4FL) ^ Long.rotateLeft(suffix, 29));
    }

    /** Key of {@code ids[from .. to)}. */
    static long of(int[] ids, int from, int to) {
        long h = word(ids[to - 1]);
        for (int i = to - 2; i >= from; i--) {
            h = extendLeft(h, ids[i]);
        }
        return h;
    }

    /** MurmurHash3's 64-bit finalizer: every input bit flips each output bit with probability about 1/2. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
