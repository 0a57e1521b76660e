package dev.cria.cli.model;

import dev.cria.cli.CliException;
import dev.cria.cli.Main;
import dev.cria.model.LlamaModel;
import dev.cria.model.convert.GgufModelWriter;
import dev.cria.model.io.hf.HfLlamaWriter;
import dev.cria.model.io.safetensors.SafetensorsDType;
import dev.cria.tensor.DType;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria convert}: between model formats. llama2.c checkpoints, Hugging Face checkpoints and GGUF files become
 * GGUF (output ending in {@code .gguf}) or a Hugging Face checkpoint folder (any other output).
 */
@Command(
        name = "convert",
        mixinStandardHelpOptions = true,
        description = "Convert a model: llama2.c or Hugging Face safetensors to GGUF, and GGUF to a Hugging Face folder.")
public final class ConvertCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--output", required = true, paramLabel = "PATH",
            description = "A .gguf file, or a folder for a Hugging Face checkpoint (config.json + safetensors + tokenizer).")
    Path output;

    @Option(names = "--type", paramLabel = "TYPE",
            description = "Weight type: f32, f16, bf16 (both outputs), q8_0, q4_0 (GGUF only). Default: f32 for GGUF, lossless for Hugging Face.")
    String type;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(Main.streams(spec).out(), false, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        try (LlamaModel loaded = model.load()) {
            try {
                if (output.getFileName().toString().endsWith(".gguf")) {
                    DType target = type == null ? DType.F32 : parseType(type);
                    GgufModelWriter.Report report = new GgufModelWriter().write(loaded, output, target, nameOf(model.model));
                    out.print(report.describe() + "\n");
                } else {
                    if (Files.isRegularFile(output)) {
                        throw new CliException(output + " is a file; a Hugging Face checkpoint is written to a folder (or use a .gguf name)");
                    }
                    SafetensorsDType dtype = type == null ? HfLlamaWriter.losslessDType(loaded.weights()) : switch (type.toLowerCase(Locale.ROOT)) {
                        case "f32" -> SafetensorsDType.F32;
                        case "f16" -> SafetensorsDType.F16;
                        case "bf16" -> SafetensorsDType.BF16;
                        default -> throw new CliException("--type " + type + ": Hugging Face checkpoints hold f32, f16 or bf16");
                    };
                    for (Path p : HfLlamaWriter.write(loaded, output, dtype, HfLlamaWriter.DEFAULT_SHARD_BYTES)) {
                        out.print("wrote " + p + "\n");
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
        }
        out.printf(Locale.ROOT, "converted %s to %s in %.1f s%n", model.model, output, (System.nanoTime() - start) / 1e9);
        out.flush();
        return 0;
    }

    static DType parseType(String type) {
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "f32" -> DType.F32;
            case "f16" -> DType.F16;
            case "bf16" -> DType.BF16;
            case "q8_0" -> DType.Q8_0;
            case "q4_0" -> DType.Q4_0;
            default -> throw new CliException("--type must be f32, f16, bf16, q8_0 or q4_0, got '" + type + "'");
        };
    }

    /** general.name for a converted file: the source's file name without extension. */
    static String nameOf(Path source) {
        String name = source.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
