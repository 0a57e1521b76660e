package dev.cria.tokenizer.spm.normalize;

import dev.cria.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code botchan_bpe1k_default.model}: trained by SentencePiece 0.2.1's spm_train with its defaults, so its
 * normalizer spec carries SentencePiece's own precompiled {@code nmt_nfkc} charsmap.
 */
final class ReferenceModel {

    private ReferenceModel() {
    }

    static Path modelPath() {
        return SharedData.file("tokenizer/spm-trained/botchan_bpe1k_default.model");
    }

    static Path botchanText() {
        return SharedData.file("tokenizer/spm-trained/botchan.txt");
    }

    static byte[] modelBytes() {
        try {
            return Files.readAllBytes(modelPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SentencePiece's precompiled nmt_nfkc blob, as stored in the model. */
    static byte[] nmtNfkcBlob() {
        return ModelProtoEdit.precompiledCharsMap(modelBytes());
    }
}
