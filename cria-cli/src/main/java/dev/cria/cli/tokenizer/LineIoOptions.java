package dev.cria.cli.tokenizer;

import dev.cria.cli.CliStreams;
import dev.cria.cli.io.AtomicFileOutput;
import dev.cria.cli.io.LinePipeline;
import dev.cria.cli.io.LineTransform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --input}, {@code --output} and {@code --threads} of the line-by-line commands, and running them. */
final class LineIoOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--input", paramLabel = "FILE", description = "Read lines from FILE instead of standard input.")
    Path input;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write to FILE (it appears only once complete) instead of standard output.")
    Path output;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads; the output keeps the input's order "
                    + "(default: the number of cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    /** How error messages name the input. */
    String inputName() {
        return input == null ? "<stdin>" : input.toString();
    }

    /** Runs {@code transform} over every input line, writing to the output named on the command line. */
    void run(CliStreams streams, LineTransform transform) throws IOException {
        if (threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1, was " + threads);
        }
        LinePipeline pipeline = new LinePipeline(threads);
        if (input == null) {
            write(pipeline, streams.in(), streams, transform);
            return;
        }
        try (InputStream in = Files.newInputStream(input)) {
            write(pipeline, in, streams, transform);
        }
    }

    private void write(LinePipeline pipeline, InputStream in, CliStreams streams, LineTransform transform)
            throws IOException {
        if (output == null) {
            pipeline.run(in, streams.out(), transform);
            return;
        }
        try (AtomicFileOutput file = AtomicFileOutput.create(output)) {
            pipeline.run(in, file.stream(), transform);
            file.commit();
        }
    }
}
