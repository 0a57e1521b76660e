package dev.cria.cli.tokenizer;

import dev.cria.cli.Main;
import dev.cria.cli.bench.ExternalTool;
import dev.cria.cli.bench.JdkJavadocCorpus;
import dev.cria.cli.bench.Samples;
import dev.cria.tokenizer.spm.ModelProto;
import dev.cria.tokenizer.spm.NormalizerSpec;
import dev.cria.tokenizer.spm.TrainerSpec;
import dev.cria.tokenizer.train.LineSource;
import dev.cria.tokenizer.train.SentencePieceTrainer;
import dev.cria.tokenizer.train.TrainingListener;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria tokenizer bench-train}: training time with LLaMA's options beside spm_train on the same text, and
 * how far the two vocabularies agree.
 */
@Command(
        name = "bench-train",
        mixinStandardHelpOptions = true,
        description = "Time tokenizer training beside spm_train on the same text (LLaMA's options, or --unigram); report vocabulary overlap.")
public final class BenchTrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Training text; created from the JDK's Javadoc when missing and --jdk-javadoc-mb is given.")
    Path input;

    @Option(names = "--jdk-javadoc-mb", paramLabel = "MB",
            description = "Build --input from the Javadoc comments of this JDK's lib/src.zip, about MB megabytes, when it does not exist.")
    Integer javadocMb;

    @Option(names = "--vocab-size", paramLabel = "N", description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
    int vocabSize = 8000;

    @Option(names = "--threads", paramLabel = "N", description = "num_threads for both trainers (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--repetitions", paramLabel = "R", description = "Timed runs of each trainer (default: ${DEFAULT-VALUE}).")
    int repetitions = 3;

    @Option(names = "--unigram", description = "Train unigram models (spm_train's default type, identity normalization) "
            + "instead of BPE with LLaMA's options.")
    boolean unigram;

    @Option(names = "--no-peer", description = "Skip spm_train.")
    boolean noPeer;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(Main.streams(spec).out(), true, StandardCharsets.UTF_8);
        if (!Files.exists(input) && javadocMb != null) {
            long n = JdkJavadocCorpus.write(input, javadocMb * 1_000_000L);
            Main.streams(spec).err().printf(Locale.ROOT, "bench-train: wrote %.1f MB of Javadoc text from %s to %s%n",
                    n / 1e6, JdkJavadocCorpus.sourceZip(), input);
        }
        long size = Files.size(input);
        out.printf(Locale.ROOT, "input: %s (%.1f MB)%n", input, size / 1e6);
        out.printf(Locale.ROOT, "options: %s, vocab %d, num_threads %d%n",
                unigram ? "unigram, identity normalization" : "LLaMA's (BPE, split digits, byte fallback, identity)", vocabSize, threads);

        Path dir = Files.createTempDirectory("cria-bench-train-");
        String ours = dir.resolve("cria").toString();
        double[] criaTimes = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            TrainerSpec t = new TrainerSpec();
            NormalizerSpec n = new NormalizerSpec();
            if (unigram) {
                n.values().set("name", "identity");
            } else {
                SentencePieceTrainer.applyLlamaOptions(t, n);
            }
            t.values().set("vocab_size", vocabSize);
            t.values().set("num_threads", threads);
            t.values().set("input_sentence_size", 0L);
            SentencePieceTrainer.setAllFlags(t, n);
            long start = System.nanoTime();
            SentencePieceTrainer.trainAndWrite(LineSource.files(List.of(input)), t, n, ours, TrainingListener.QUIET);
            criaTimes[r] = (System.nanoTime() - start) / 1e9;
        }
        Samples cria = new Samples(criaTimes);
        out.printf(Locale.ROOT, "cria tokenizer train: %s s%n", cria.format(2));

        ExternalTool spmTrain = noPeer ? null : ExternalTool.find("spm_train");
        if (spmTrain != null) {
            String theirs = dir.resolve("spm").toString();
            double[] peer = new double[repetitions];
            for (int r = 0; r < repetitions; r++) {
                List<String> args = unigram
                        ? List.of("--input=" + input, "--model_prefix=" + theirs, "--model_type=unigram", "--vocab_size=" + vocabSize,
                                "--normalization_rule_name=identity", "--input_sentence_size=0", "--num_threads=" + threads)
                        : List.of("--input=" + input, "--model_prefix=" + theirs, "--model_type=bpe",
                                "--vocab_size=" + vocabSize, "--character_coverage=0.99995", "--split_digits=true", "--byte_fallback=true",
                                "--allow_whitespace_only_pieces=true", "--normalization_rule_name=identity", "--remove_extra_whitespaces=false",
                                "--input_sentence_size=0", "--num_threads=" + threads);
                peer[r] = spmTrain.time(null, args.toArray(String[]::new));
            }
            Samples spm = new Samples(peer);
            out.printf(Locale.ROOT, "spm_train (%s): %s s%n", spmTrain, spm.format(2));
            out.printf(Locale.ROOT, "ratio spm_train/cria: %.2fx%n", spm.median() / cria.median());
            List<ModelProto.Piece> a = ModelProto.read(Path.of(ours + ".model")).pieces();
            List<ModelProto.Piece> b = ModelProto.read(Path.of(theirs + ".model")).pieces();
            Set<String> sa = new HashSet<>();
            a.forEach(p -> sa.add(p.piece()));
            long common = b.stream().filter(p -> sa.contains(p.piece())).count();
            int sameId = 0;
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                if (a.get(i).piece().equals(b.get(i).piece())) {
                    sameId++;
                }
            }
            out.printf(Locale.ROOT, "vocabulary overlap with spm_train: %d of %d pieces (%.2f%%), %d at the same id%n",
                    common, b.size(), 100.0 * common / b.size(), sameId);
        } else if (!noPeer) {
            out.println("spm_train: not run (not installed: apt-get install sentencepiece)");
        }
        for (Path f : Files.list(dir).toList()) {
            Files.delete(f);
        }
        Files.delete(dir);
        return 0;
    }
}
