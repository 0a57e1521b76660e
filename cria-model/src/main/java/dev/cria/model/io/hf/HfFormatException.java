package dev.cria.model.io.hf;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A Hugging Face checkpoint that Cria cannot load as a LLaMA model: a {@code config.json} field missing, of the
 * wrong type or naming an unsupported feature, or a weight whose name or shape disagrees with the config. The
 * message starts with the file.
 */
public final class HfFormatException extends IOException {

    public HfFormatException(Path file, String detail) {
        super((file == null ? "Hugging Face checkpoint" : file.toString()) + ": " + detail);
    }
}
