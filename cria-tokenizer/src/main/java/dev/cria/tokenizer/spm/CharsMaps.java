package dev.cria.tokenizer.spm;

import dev.cria.tokenizer.TokenizerFormatException;

/** Adapts a NormalizerSpec's precompiled_charsmap blob to the normalizer. */
final class CharsMaps {
    private CharsMaps() {
    }

    static Normalizer.CharsMap of(byte[] blob, String source) throws TokenizerFormatException {
        if (blob.length == 0) {
            return null;
        }
        throw new TokenizerFormatException(source + ": precompiled_charsmap not supported yet");
    }
}
