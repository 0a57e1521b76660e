package dev.cria.train.export;

import dev.cria.model.LlamaConfig;
import dev.cria.model.LlamaModel;
import dev.cria.model.convert.GgufModelWriter;
import dev.cria.tensor.DType;
import dev.cria.tokenizer.spm.SentencePieceModel;
import dev.cria.train.Parameters;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Exports trained weights as a GGUF file that {@code cria generate} and llama.cpp load: the weights go through
 * {@link LlamaParameters#toModel} (query and key rows into GGUF's adjacent-pairs order) and cria-model's
 * {@link GgufModelWriter}, with the run's SentencePiece vocabulary (llama.cpp needs it).
 */
public final class GgufExport {

    private GgufExport() {
    }

    /**
     * Writes {@code file} atomically.
     *
     * @param type F32 keeps the trained weights exactly; F16, BF16, Q8_0 or Q4_0 round them
     * @param name {@code general.name}
     */
    public static GgufModelWriter.Report write(Parameters parameters, LlamaConfig config, SentencePieceModel tokenizer, Path file,
                                               DType type, String name) throws IOException {
        try (LlamaModel model = LlamaParameters.toModel(parameters, config, tokenizer, name)) {
            return new GgufModelWriter().write(model, file, type, name);
        }
    }
}
