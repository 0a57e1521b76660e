package dev.cria.tokenizer.spm;

import dev.cria.tokenizer.TokenizerFormatException;
import dev.cria.tokenizer.spm.normalize.PrecompiledCharsMap;

/** Adapts a NormalizerSpec's precompiled_charsmap blob to the normalizer; an empty blob means no map. */
final class CharsMaps {
    private CharsMaps() {
    }

    static Normalizer.CharsMap of(byte[] blob, String source) throws TokenizerFormatException {
        if (blob.length == 0) {
            return null;
        }
        PrecompiledCharsMap map = PrecompiledCharsMap.parse(blob, source);
        byte[] replacements = map.replacementBytes();
        return new Normalizer.CharsMap() {
            @Override
            public int match(byte[] s, int pos, int end, int[] out) {
                long m = map.longestMatch(s, pos, end);
                if (m == PrecompiledCharsMap.NO_MATCH) {
                    return 0;
                }
                out[0] = PrecompiledCharsMap.replacementOffset(m);
                out[1] = map.replacementLength(out[0]);
                return PrecompiledCharsMap.matchLength(m);
            }

            @Override
            public byte[] replacements() {
                return replacements;
            }
        };
    }
}
