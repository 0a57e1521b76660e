package dev.cria.cli.data;

import dev.cria.cli.CliException;
import dev.cria.cli.CliStreams;
import dev.cria.cli.Main;
import dev.cria.data.lid.CFloatFormat;
import dev.cria.data.lid.FastTextClassifier;
import dev.cria.data.lid.LanguageIdentifier;
import dev.cria.data.lid.LinguaIdentifier;
import dev.cria.data.lid.Prediction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria data lid}: one output line per input line, as {@code fasttext predict-prob MODEL - K THRESHOLD} prints
 * them: {@code __label__xx P} pairs, best first, P with 6 significant digits; an empty line when no label reaches
 * the threshold. Like fastText, a newline ends a line and adds the end-of-sentence token, so a last line without a
 * newline is predicted without it. Without {@code --model}, Lingua answers with ISO 639-1 labels.
 */
@Command(
        name = "lid",
        mixinStandardHelpOptions = true,
        description = "Identify the language of each input line (fastText predict-prob's output format).")
public final class LidCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE",
            description = "A fastText model (.bin, or quantized .ftz such as lid.176.ftz); default: the embedded Lingua detector.")
    Path model;

    @Option(names = "--k", paramLabel = "K", defaultValue = "1",
            description = "Labels per line, best first (-1: all; default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--threshold", paramLabel = "P", defaultValue = "0.0",
            description = "Leave out labels whose probability is below P (default ${DEFAULT-VALUE}).")
    float threshold;

    @Option(names = "--input", paramLabel = "FILE", description = "Read lines from FILE instead of standard input.")
    Path input;

    @Option(names = "--languages", paramLabel = "CODES", split = ",",
            description = "Without --model: let Lingua choose only among these ISO 639-1 codes (e.g. en,de,fr); "
                    + "fewer languages load and run faster.")
    List<String> languages;

    @Override
    public Integer call() throws IOException {
        if (k == 0 || k < -1) {
            throw new CliException("--k must be 1 or more (or -1 for all labels), was " + k);
        }
        CliStreams streams = Main.streams(spec);
        LanguageIdentifier identifier;
        if (model != null) {
            if (!Files.isRegularFile(model)) {
                throw new CliException("--model: no such file: " + model);
            }
            identifier = FastTextClassifier.load(model);
        } else if (languages == null || languages.isEmpty()) {
            identifier = LinguaIdentifier.allLanguages();
        } else {
            try {
                identifier = LinguaIdentifier.of(languages);
            } catch (IllegalArgumentException e) {
                throw new CliException("--languages: " + e.getMessage());
            }
        }
        if (input == null) {
            run(identifier, streams.in(), streams.out());
        } else {
            try (InputStream in = Files.newInputStream(input)) {
                run(identifier, in, streams.out());
            }
        }
        return 0;
    }

    private void run(LanguageIdentifier identifier, InputStream in, OutputStream out) throws IOException {
        LineSink sink = identifier instanceof FastTextClassifier fastText ? new FastTextSink(fastText) : new AnySink(identifier);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);
        byte[] chunk = new byte[1 << 16];
        int filled = 0;
        for (int n; (n = in.read(chunk, filled, chunk.length - filled)) > 0; ) {
            filled += n;
            int start = 0;
            for (int i = 0; i < filled; i++) {
                if (chunk[i] == '\n') {
                    sink.line(chunk, start, i, true, buffer);
                    start = i + 1;
                }
            }
            filled -= start;
            System.arraycopy(chunk, start, chunk, 0, filled);
            if (filled == chunk.length) {
                chunk = Arrays.copyOf(chunk, chunk.length * 2);
            }
            if (buffer.size() >= 1 << 15 || in.available() == 0) {
                buffer.writeTo(out);
                buffer.reset();
                if (in.available() == 0) {
                    out.flush();
                }
            }
        }
        if (filled > 0) {
            sink.line(chunk, 0, filled, false, buffer);
        }
        buffer.writeTo(out);
        out.flush();
    }

    /** Predicts one line and appends its output line. */
    private interface LineSink {
        void line(byte[] bytes, int start, int end, boolean endOfLine, ByteArrayOutputStream out);
    }

    /** The fastText path: bytes straight to the model, labels pre-encoded, no per-line objects but the numbers. */
    private final class FastTextSink implements LineSink {
        private final FastTextClassifier model;
        private final FastTextClassifier.Scratch scratch;
        private final byte[][] labels;

        FastTextSink(FastTextClassifier model) {
            this.model = model;
            this.scratch = model.newScratch();
            int n = model.dictionary().nlabels();
            this.labels = new byte[n][];
            for (int i = 0; i < n; i++) {
                labels[i] = model.dictionary().label(i).getBytes(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void line(byte[] bytes, int start, int end, boolean endOfLine, ByteArrayOutputStream out) {
            int n = model.predictLine(bytes, start, end, endOfLine, k, threshold, scratch);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.write(' ');
                }
                out.writeBytes(labels[scratch.label(i)]);
                out.write(' ');
                out.writeBytes(CFloatFormat.g6(scratch.probability(i)).getBytes(StandardCharsets.US_ASCII));
            }
            out.write('\n');
        }
    }

    /** Any other identifier (Lingua): the line decoded as UTF-8, its predictions printed the same way. */
    private final class AnySink implements LineSink {
        private final LanguageIdentifier identifier;

        AnySink(LanguageIdentifier identifier) {
            this.identifier = identifier;
        }

        @Override
        public void line(byte[] bytes, int start, int end, boolean endOfLine, ByteArrayOutputStream out) {
            String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            List<Prediction> predictions = identifier.predict(text, k, threshold);
            for (int i = 0; i < predictions.size(); i++) {
                if (i > 0) {
                    out.write(' ');
                }
                Prediction p = predictions.get(i);
                out.writeBytes(p.label().getBytes(StandardCharsets.UTF_8));
                out.write(' ');
                out.writeBytes(CFloatFormat.g6((float) p.probability()).getBytes(StandardCharsets.US_ASCII));
            }
            out.write('\n');
        }
    }
}
