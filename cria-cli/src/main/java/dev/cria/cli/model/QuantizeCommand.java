package dev.cria.cli.model;

import dev.cria.cli.CliException;
import dev.cria.cli.Main;
import dev.cria.model.LlamaModel;
import dev.cria.model.convert.GgufModelWriter;
import dev.cria.tensor.DType;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria quantize}: a GGUF with every matrix whose rows are a multiple of 32 in Q8_0 or Q4_0 ("pure"); the others
 * stay F32 and the command lists them.
 */
@Command(
        name = "quantize",
        mixinStandardHelpOptions = true,
        description = "Quantize a model to Q8_0 or Q4_0 GGUF (matrices whose rows are not a multiple of 32 stay F32, and are listed).")
public final class QuantizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--type", required = true, paramLabel = "TYPE", description = "q8_0 or q4_0 (also f32, f16, bf16).")
    String type;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The GGUF file to write.")
    Path output;

    @Override
    public Integer call() throws Exception {
        DType target = ConvertCommand.parseType(type);
        PrintStream out = new PrintStream(Main.streams(spec).out(), false, StandardCharsets.UTF_8);
        try (LlamaModel loaded = model.load()) {
            long start = System.nanoTime();
            GgufModelWriter.Report report;
            try {
                report = new GgufModelWriter().write(loaded, output, target, ConvertCommand.nameOf(model.model));
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            out.print(report.describe() + "\n");
            out.printf(Locale.ROOT, "wrote %s in %.1f s%n", output, (System.nanoTime() - start) / 1e9);
            out.flush();
        }
        return 0;
    }
}
