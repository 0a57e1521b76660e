package dev.cria.model;

import dev.cria.model.io.gguf.GgufModelLoader;
import dev.cria.model.io.hf.HfLlamaReader;
import dev.cria.model.io.llama2c.Llama2cModelLoader;
import dev.cria.tokenizer.TokenizerLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens a model, recognizing the format by content: GGUF (magic {@code "GGUF"}), a Hugging Face checkpoint (a folder
 * with config.json and safetensors, or one of its files), or a llama2.c checkpoint (v1/v2 magic {@code "ak42"},
 * otherwise the legacy v0 header, checked against the file size).
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
        LlamaModel loaded;
        if (isHuggingFace(model)) {
            loaded = HfLlamaReader.read(model);
        } else if (Files.isDirectory(model)) {
            throw new ModelFormatException(model, -1, "is a directory without config.json; expected a GGUF file, a llama2.c checkpoint "
                    + "or a Hugging Face checkpoint folder");
        } else if (!isGguf(model)) {
            return Llama2cModelLoader.load(model, tokenizer);
        } else {
            loaded = GgufModelLoader.load(model);
        }
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

    /** A checkpoint folder with config.json, or its config.json, index or a .safetensors file. */
    private static boolean isHuggingFace(Path path) {
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        String name = path.getFileName().toString();
        boolean member = Files.isDirectory(path) || name.equals("config.json") || name.endsWith(".safetensors")
                || name.endsWith(".safetensors.index.json");
        return member && dir != null && Files.isRegularFile(dir.resolve("config.json"));
    }

    private static boolean isGguf(Path file) throws IOException {
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(magic, 0, 4) == 4 && magic[0] == 'G' && magic[1] == 'G' && magic[2] == 'U' && magic[3] == 'F';
        }
    }
}
