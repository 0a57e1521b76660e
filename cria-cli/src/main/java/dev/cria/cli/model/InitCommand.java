package dev.cria.cli.model;

import dev.cria.cli.CliException;
import dev.cria.cli.Main;
import dev.cria.model.LlamaModel;
import dev.cria.model.convert.GgufModelWriter;
import dev.cria.model.convert.RandomLlama;
import dev.cria.tensor.DType;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria init}: a LLaMA of a given shape with random weights (N(0, 0.02), llama2.c's initialization, seeded) and a
 * synthetic SentencePiece vocabulary of the right size, as GGUF: for benchmarks and as a training start.
 */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = "Create a random-weight LLaMA of a given shape (presets stories15M, stories110M) as GGUF.")
public final class InitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--shape", paramLabel = "NAME", description = "Preset: stories15M (288/6/6/768/32000) or stories110M (768/12/12/2048/32000).")
    String shape;

    @Option(names = "--dim", paramLabel = "D", description = "Model width.")
    Integer dim;

    @Option(names = "--layers", paramLabel = "L", description = "Transformer blocks.")
    Integer layers;

    @Option(names = "--heads", paramLabel = "H", description = "Attention heads.")
    Integer heads;

    @Option(names = "--kv-heads", paramLabel = "K", description = "Key/value heads (default: --heads).")
    Integer kvHeads;

    @Option(names = "--hidden", paramLabel = "F", description = "SwiGLU hidden width.")
    Integer hidden;

    @Option(names = "--vocab", paramLabel = "V", description = "Vocabulary size (at least 260).")
    Integer vocab;

    @Option(names = "--seq-len", paramLabel = "S", description = "Context length (default: ${DEFAULT-VALUE}).")
    int seqLen = 256;

    @Option(names = "--type", paramLabel = "TYPE", description = "f32, f16, bf16, q8_0 or q4_0 (default: ${DEFAULT-VALUE}).")
    String type = "f32";

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The GGUF file to write.")
    Path output;

    @Override
    public Integer call() throws Exception {
        RandomLlama.Spec s;
        try {
            if (shape != null) {
                RandomLlama.Spec p = RandomLlama.Spec.preset(shape, seed);
                s = new RandomLlama.Spec(or(dim, p.dim()), or(layers, p.layers()), or(heads, p.heads()), or(kvHeads, or(heads, p.kvHeads())),
                        or(hidden, p.hiddenDim()), or(vocab, p.vocabSize()), p.contextLength(), seed);
            } else {
                if (dim == null || layers == null || heads == null || hidden == null || vocab == null) {
                    throw new CliException("give --shape, or all of --dim --layers --heads --hidden --vocab");
                }
                s = new RandomLlama.Spec(dim, layers, heads, or(kvHeads, heads), hidden, vocab, seqLen, seed);
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        DType target = ConvertCommand.parseType(type);
        PrintStream out = new PrintStream(Main.streams(spec).out(), false, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        try (LlamaModel model = RandomLlama.create(s)) {
            GgufModelWriter.Report report = new GgufModelWriter().write(model, output, target, shape != null ? shape : "cria-init");
            out.printf(Locale.ROOT, "%s: %,d parameters, dim %d, %d layers, %d heads (%d kv), hidden %d, vocab %d, context %d, %s%n", output,
                    s.parameterCount(), s.dim(), s.layers(), s.heads(), s.kvHeads(), s.hiddenDim(), s.vocabSize(), s.contextLength(),
                    target.name().toLowerCase(Locale.ROOT));
            if (!report.fallbacks().isEmpty()) {
                out.print(report.describe() + "\n");
            }
            out.printf(Locale.ROOT, "wrote in %.1f s%n", (System.nanoTime() - start) / 1e9);
            out.flush();
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        return 0;
    }

    private static int or(Integer value, int fallback) {
        return value != null ? value : fallback;
    }
}
