package dev.cria.cli.model;

import dev.cria.model.LlamaModel;
import dev.cria.model.ModelLoader;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model}, {@code --tokenizer}, {@code --threads}: shared by the commands that run a model. */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "Model: GGUF (F32/F16/BF16/Q8_0/Q4_0) or a llama2.c checkpoint (v0, v1, v2).")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "Tokenizer, when the model file has none (llama2.c checkpoints) or to replace it: any format `cria tokenizer` reads.")
    Path tokenizer;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    LlamaModel load() throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        return ModelLoader.load(model, tokenizer);
    }
}
