package dev.cria.cli.model;

import dev.cria.cli.CliException;
import dev.cria.cli.Main;
import dev.cria.model.LlamaModel;
import dev.cria.model.Transformer;
import dev.cria.model.generate.GenerationOptions;
import dev.cria.model.generate.GenerationResult;
import dev.cria.model.generate.Generator;
import dev.cria.model.sample.SamplerSettings;
import dev.cria.tensor.Parallel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria generate}: continues a prompt. Stdout carries only the generated text, streamed as it is produced and
 * ending with a newline (the prompt is not echoed); timings go to stderr.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Generate text from a prompt; stdout is only the generated text, streamed.")
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The prompt; empty starts from BOS alone.")
    String prompt;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens = 256;

    @Option(names = "--temperature", paramLabel = "T", description = "0 is greedy (default: ${DEFAULT-VALUE}).")
    float temperature = 0.8f;

    @Option(names = "--top-k", paramLabel = "K", description = "Keep the K most likely tokens; 0 keeps all (default: ${DEFAULT-VALUE}).")
    int topK = 40;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling threshold; 1 is off (default: ${DEFAULT-VALUE}).")
    float topP = 0.95f;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when the text contains this (repeatable); it is not printed.")
    List<String> stop = List.of();

    @Option(names = "--context", paramLabel = "N", description = "Context length (default: the model's, at most 4096).")
    int context;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(Main.streams(spec).out(), false, StandardCharsets.UTF_8);
        PrintStream err = Main.streams(spec).err();
        GenerationOptions options;
        try {
            options = new GenerationOptions(maxTokens, stop, new SamplerSettings(temperature, topK, topP, seed), context);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        try (LlamaModel loaded = model.load(); Parallel parallel = new Parallel(model.threads)) {
            if (loaded.tokenizer() == null) {
                throw new CliException(model.model + " carries no tokenizer: give one with --tokenizer");
            }
            Generator generator = new Generator(new Transformer(loaded, parallel), loaded.tokenizer());
            GenerationResult result;
            try {
                result = generator.generate(prompt, options, text -> {
                    out.print(text);
                    out.flush();
                });
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            out.print("\n");
            out.flush();
            err.println("generate: " + result.stats().describe() + ", stopped: " + result.stopReason().name().toLowerCase(java.util.Locale.ROOT)
                    + ", threads: " + model.threads);
        }
        return 0;
    }
}
