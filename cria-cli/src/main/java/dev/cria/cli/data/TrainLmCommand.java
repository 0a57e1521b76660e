package dev.cria.cli.data;

import dev.cria.cli.CliException;
import dev.cria.cli.CliStreams;
import dev.cria.cli.Main;
import dev.cria.cli.io.AtomicFileOutput;
import dev.cria.data.lm.Discounts;
import dev.cria.data.lm.KneserNeyTrainer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria data train-lm}: an interpolated modified Kneser-Ney n-gram model as KenLM's {@code lmplz} estimates
 * it, written as ARPA. Options carry lmplz's names ({@code -o}, {@code --text}, {@code --arpa},
 * {@code --discount_fallback}, {@code --skip_symbols}) next to Cria's ({@code --order}, {@code --input},
 * {@code --output}). Like lmplz's default, nothing is pruned.
 */
@Command(
        name = "train-lm",
        mixinStandardHelpOptions = true,
        description = {"Train a modified Kneser-Ney n-gram model (what KenLM's lmplz does) and write it as ARPA.",
            "Each input line is a sentence; words are separated by spaces or tabs."})
public final class TrainLmCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--order"}, required = true, paramLabel = "N", description = "Order of the model, 1 to 9 (CCNet: 5).")
    int order;

    @Option(names = {"--input", "--text"}, paramLabel = "FILE", description = "Training text; standard input if absent.")
    Path input;

    @Option(names = {"--output", "--arpa"}, paramLabel = "F.arpa",
            description = "Write the ARPA model to this file (it appears only once complete); standard output if absent.")
    Path output;

    @Option(names = "--discount_fallback", arity = "0..3", paramLabel = "D",
            description = "When an order's discounts cannot be estimated (little or artificial text), use these "
                    + "D1 D2 D3+ instead of failing (lmplz's default when given without values: 0.5 1 1.5).")
    List<Float> discountFallback;

    @Option(names = "--skip_symbols", description = "Treat <s>, </s> and <unk> in the text as spaces instead of failing.")
    boolean skipSymbols;

    @Override
    public Integer call() throws IOException {
        if (order < 1 || order > 9) {
            throw new CliException("--order must be 1 to 9, was " + order);
        }
        CliStreams streams = Main.streams(spec);
        KneserNeyTrainer trainer = new KneserNeyTrainer(order, fallback(), skipSymbols);
        long t0 = System.nanoTime();
        try {
            if (input == null) {
                trainer.addText(streams.in(), "<stdin>");
            } else {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(input), 1 << 16)) {
                    trainer.addText(in, input.toString());
                }
            }
            trainer.estimate();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CliException(e.getMessage(), e);
        }
        streams.err().printf(Locale.ROOT, "train-lm: %d sentences, unigram tokens %d types %d%n", trainer.sentences(),
                trainer.tokens(), trainer.types());
        streams.err().print(trainer.statistics());
        if (output == null) {
            trainer.writeArpa(streams.out());
        } else {
            try (AtomicFileOutput file = AtomicFileOutput.create(output)) {
                OutputStream out = file.stream();
                trainer.writeArpa(out);
                file.commit();
            }
        }
        streams.err().printf(Locale.ROOT, "train-lm: wrote %s in %.2f s%n", output == null ? "<stdout>" : output,
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private Discounts fallback() {
        if (discountFallback == null) {
            return null;
        }
        float[] d = {0.5f, 1f, 1.5f};
        for (int i = 0; i < discountFallback.size(); i++) {
            d[i] = discountFallback.get(i);
        }
        return new Discounts(d[0], d[1], d[2]);
    }
}
