package dev.cria.model;

import dev.cria.model.io.gguf.GgufModelLoader;
import dev.cria.model.io.llama2c.Llama2cModelLoader;
import dev.cria.tokenizer.TokenizerLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens a model file, recognizing the format by content: GGUF (magic {@code "GGUF"}) or a llama2.c checkpoint
 * (v1/v2 magic {@code "ak42"}, otherwise the legacy v0 header, checked against the file size).
 */
public final class ModelLoader {
    private ModelLoader() {
    }

    /**
     * Loads {@code model}; {@code tokenizer}, when not null, replaces the tokenizer stored in the file (llama2.c
     * checkpoints carry none). Close the returned model to release the file.
     */
    public static LlamaModel load(Path model, Path tokenizer) throws IOException {
        if (!Files.exists(model)) {
            throw new NoSuchFileException(model.toString(), null, "model file not found");
        }
        if (Files.isDirectory(model)) {
            throw new ModelFormatException(model, -1, "is a directory; expected a GGUF file or a llama2.c checkpoint");
        }
        if (!isGguf(model)) {
            return Llama2cModelLoader.load(model, tokenizer);
        }
        LlamaModel loaded = GgufModelLoader.load(model);
        if (tokenizer == null) {
            return loaded;
        }
        try {
            return loaded.withTokenizer(TokenizerLoader.load(tokenizer));
        } catch (IOException | RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    private static boolean isGguf(Path file) throws IOException {
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(magic, 0, 4) == 4 && magic[0] == 'G' && magic[1] == 'G' && magic[2] == 'U' && magic[3] == 'F';
        }
    }
}
