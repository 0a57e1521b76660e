package dev.cria.cli;

import dev.cria.cli.io.AtomicFileOutput;
import dev.cria.cli.progress.PhaseProgress;
import dev.cria.data.europarl.Europarl;
import dev.cria.data.europarl.EuroparlDocument;
import dev.cria.tokenizer.spm.ModelType;
import dev.cria.tokenizer.spm.NormalizerSpec;
import dev.cria.tokenizer.spm.SentencePieceModel;
import dev.cria.tokenizer.spm.TrainerSpec;
import dev.cria.tokenizer.train.LineSource;
import dev.cria.tokenizer.train.SentencePieceTrainer;
import dev.cria.tokenizer.train.TrainingListener;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria quickstart}: Cria's main job on its embedded data. Today it runs the recipe's tokenizer stage
 * (LLaMA §2.1) on the embedded Europarl corpus: paragraphs out, a SentencePiece BPE tokenizer trained with
 * LLaMA's options, its statistics and a few encoded samples. Later stages of the recipe join it as they land.
 */
@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description = "Cria's main job on the embedded Europarl corpus: trains a LLaMA-style tokenizer and shows what it learned.")
public final class QuickstartCommand implements Callable<Integer> {

    private static final List<String> SAMPLES = List.of(
            "The European Parliament adopted the resolution on 12 March 2024 with 421 votes.",
            "Das Europäische Parlament hat die Entschließung angenommen.",
            "Le Parlement européen a adopté la résolution à une large majorité.",
            "Ευρωπαϊκό Κοινοβούλιο, Europos Parlamentas, Parlamento Europeo 🇪🇺");

    @Spec
    CommandSpec spec;

    @Option(names = "--output", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path output = Path.of("quickstart-out");

    @Option(names = "--vocab-size", paramLabel = "N", description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
    int vocabSize = 8000;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for reading and encoding (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws Exception {
        CliStreams streams = Main.streams(spec);
        PrintStream out = new PrintStream(streams.out(), false, StandardCharsets.UTF_8);
        PrintStream err = streams.err();
        Files.createDirectories(output);
        long start = System.nanoTime();

        // 1. The corpus: every Europarl paragraph becomes one training line.
        err.println("quickstart: reading the embedded Europarl corpus");
        List<String> paragraphs = new ArrayList<>();
        long documents = 0;
        try (Europarl europarl = Europarl.open()) {
            for (EuroparlDocument d : europarl) {
                documents++;
                paragraphs.addAll(d.paragraphs());
            }
        }
        Path corpus = output.resolve("europarl-paragraphs.txt");
        long bytes = 0;
        try (AtomicFileOutput file = AtomicFileOutput.create(corpus)) {
            OutputStream s = file.stream();
            for (String p : paragraphs) {
                byte[] b = p.getBytes(StandardCharsets.UTF_8);
                s.write(b);
                s.write('\n');
                bytes += b.length + 1;
            }
            file.commit();
        }

        // 2. The tokenizer, with LLaMA's options.
        TrainerSpec trainer = new TrainerSpec();
        NormalizerSpec normalizer = new NormalizerSpec();
        SentencePieceTrainer.applyLlamaOptions(trainer, normalizer);
        trainer.values().set("vocab_size", vocabSize);
        trainer.values().set("num_threads", Math.max(1, threads));
        trainer.values().set("input", List.of(corpus.toString()));
        trainer.values().set("model_prefix", "tokenizer");
        SentencePieceTrainer.setAllFlags(trainer, normalizer);
        String prefix = output.resolve("tokenizer").toString();
        SentencePieceTrainer.Result result;
        try (PhaseProgress progress = new PhaseProgress(err)) {
            TrainingListener listener = new TrainingListener() {
                @Override
                public void log(String message) {
                }

                @Override
                public void progress(String phase, long done, long total) {
                    progress.update("tokenizer " + phase, phase.equals("reading") ? "MB" : "pieces", done, total);
                }
            };
            result = SentencePieceTrainer.trainAndWrite(LineSource.files(List.of(corpus)), trainer, normalizer, prefix, listener);
        }

        // 3. What it learned: compression over the whole corpus, and a few samples.
        SentencePieceModel model = SentencePieceModel.load(Path.of(prefix + ".model"));
        long tokens = IntStream.range(0, paragraphs.size()).parallel()
                .mapToLong(i -> model.encode(paragraphs.get(i)).length).sum();
        int merged = (int) model.pieces().stream().filter(p -> p.piece().codePointCount(0, p.piece().length()) > 1
                && p.type() == dev.cria.tokenizer.TokenType.NORMAL).count();

        out.print("== Cria quickstart: the tokenizer stage of the LLaMA recipe ==\n");
        out.print(String.format(Locale.ROOT, "corpus: embedded Europarl, %d documents, %d paragraphs, %.1f MB (21 languages)%n",
                documents, paragraphs.size(), bytes / 1e6));
        out.print(String.format(Locale.ROOT, "tokenizer: SentencePiece BPE with LLaMA's options, %d pieces "
                + "(%d merged, %d characters, 256 bytes, 3 special)%n", model.vocabSize(), merged, result.alphabetSize()));
        out.print(String.format(Locale.ROOT, "training: %.1f s, character coverage %.5f%n", result.seconds(), result.characterCoverage()));
        out.print(String.format(Locale.ROOT, "compression: %d tokens, %.2f bytes per token%n", tokens, (double) bytes / tokens));
        out.print("samples:\n");
        for (String s : SAMPLES) {
            int[] ids = model.encode(s);
            out.print("  " + s + "\n");
            out.print("    pieces: " + String.join(" ", model.encodeAsPieces(s)) + "\n");
            out.print("    ids:    " + Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")) + "\n");
            out.print("    decode: " + (model.decode(ids).equals(s) ? "round trip ok" : "MISMATCH: " + model.decode(ids)) + "\n");
        }
        out.print(String.format(Locale.ROOT, "wall time: %.1f s%n", (System.nanoTime() - start) / 1e9));
        out.print("model: " + prefix + ".model\n");
        out.print("vocab: " + prefix + ".vocab\n");
        out.print("try: ./cria tokenizer encode --model " + prefix + ".model --pieces <<< 'Hello, Parliament!'\n");
        out.flush();
        return 0;
    }
}
