package dev.cria.cli.tokenizer;

import dev.cria.tokenizer.Tokenizer;
import dev.cria.tokenizer.TokenizerLoader;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model FILE}, shared by every tokenizer command. */
final class ModelOption {

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "Tokenizer file: SentencePiece .model, llama2.c tokenizer.bin, GGUF, "
                    + "HF tokenizer.json or tiktoken (format recognized from the content).")
    Path model;

    /** The tokenizer; a missing, unreadable or malformed file is an {@link IOException} naming it. */
    Tokenizer load() throws IOException {
        return TokenizerLoader.load(model);
    }
}
