package dev.cria.cli.tokenizer;

import dev.cria.cli.CliException;
import dev.cria.cli.Main;
import dev.cria.cli.progress.PhaseProgress;
import dev.cria.tokenizer.spm.NormalizerSpec;
import dev.cria.tokenizer.spm.SpecField;
import dev.cria.tokenizer.spm.TrainerSpec;
import dev.cria.tokenizer.train.LineSource;
import dev.cria.tokenizer.train.SentencePieceTrainer;
import dev.cria.tokenizer.train.TrainingListener;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria tokenizer train}: spm_train in Java. Every TrainerSpec field is an option under spm_train's name in
 * kebab case ({@code --split-digits}, {@code --character-coverage}, ...), with spm_train's defaults; {@code --llama}
 * sets LLaMA's options first. Writes {@code PREFIX.model} and {@code PREFIX.vocab}.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        modelTransformer = TrainCommand.SpecOptions.class,
        description = "Train a SentencePiece-compatible tokenizer with spm_train's options and defaults.",
        footer = "Every spm_train flag is accepted in kebab case, e.g. --model-type bpe --split-digits --byte-fallback.")
public final class TrainCommand implements Callable<Integer> {

    /** TrainerSpec fields not offered as generic options: handled by dedicated options or obsolete. */
    private static final Set<String> NOT_OPTIONS = Set.of("input", "model_prefix", "mining_sentence_size", "training_sentence_size");

    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, split = ",", arity = "1..*", paramLabel = "FILE",
            description = "Training text, one sentence per line (.gz files are decompressed); several files or a comma-separated list.")
    List<Path> inputs;

    @Option(names = {"--output", "--model-prefix"}, required = true, paramLabel = "PREFIX",
            description = "Output prefix: writes PREFIX.model and PREFIX.vocab.")
    String prefix;

    @Option(names = "--llama", description = "LLaMA's options (paper §2.1): BPE, split digits, byte fallback, identity normalization, "
            + "whitespace-only pieces, character coverage 0.99995. Other options given override them.")
    boolean llama;

    @Option(names = "--normalization-rule-name", paramLabel = "NAME",
            description = "nmt_nfkc (default), nfkc, nmt_nfkc_cf, nfkc_cf or identity.")
    String ruleName;

    @Option(names = "--normalization-rule-tsv", paramLabel = "FILE", description = "Custom normalization rules (TSV of code points).")
    Path ruleTsv;

    @Option(names = "--add-dummy-prefix", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Prepend ▁ to the text (default true).")
    Boolean addDummyPrefix;

    @Option(names = "--remove-extra-whitespaces", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Drop leading, trailing and repeated spaces (default true).")
    Boolean removeExtraWhitespaces;

    @Option(names = "--random-seed", paramLabel = "N",
            description = "Seed for sampling input sentences (--input-sentence-size) and other random choices (default: ${DEFAULT-VALUE}).")
    long seed = SentencePieceTrainer.DEFAULT_SEED;

    @Option(names = "--quiet", description = "Do not print spm_train's log lines on stderr.")
    boolean quiet;

    /** Adds one option per TrainerSpec field, named as spm_train's flag in kebab case. */
    public static final class SpecOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            TrainerSpec defaults = new TrainerSpec();
            for (SpecField f : TrainerSpec.SCHEMA) {
                if (NOT_OPTIONS.contains(f.name())) {
                    continue;
                }
                OptionSpec.Builder b = OptionSpec.builder("--" + f.optionName())
                        .type(String.class)
                        .paramLabel(switch (f.kind()) {
                            case BOOL -> "BOOL";
                            case INT32, UINT64 -> "N";
                            case FLOAT -> "X";
                            case REPEATED_STRING -> "A,B,...";
                            case MODEL_TYPE -> "TYPE";
                            default -> "TEXT";
                        })
                        .description("spm_train --" + f.name() + " (default: " + shown(defaults.values().get(f.name())) + ")");
                if (f.kind() == SpecField.Kind.BOOL) {
                    b.arity("0..1").fallbackValue("true");
                }
                command.addOption(b.build());
            }
            return command;
        }

        private static String shown(Object v) {
            return switch (v) {
                case List<?> l -> l.isEmpty() ? "none" : String.join(",", l.stream().map(Object::toString).toList());
                case String s -> s.isEmpty() ? "empty" : s.replace("\u2047", "\\u2047");
                default -> String.valueOf(v).toLowerCase(Locale.ROOT);
            };
        }
    }

    @Override
    public Integer call() throws Exception {
        TrainerSpec trainer = new TrainerSpec();
        NormalizerSpec normalizer = new NormalizerSpec();
        if (llama) {
            SentencePieceTrainer.applyLlamaOptions(trainer, normalizer);
        }
        for (SpecField f : TrainerSpec.SCHEMA) {
            if (NOT_OPTIONS.contains(f.name())) {
                continue;
            }
            OptionSpec option = spec.findOption("--" + f.optionName());
            if (option != null && spec.commandLine().getParseResult().hasMatchedOption(option)) {
                String value = option.getValue();
                try {
                    trainer.values().set(f.name(), f.parse(value));
                } catch (IllegalArgumentException e) {
                    throw new CliException("--" + f.optionName() + ": cannot use '" + value + "': " + e.getMessage());
                }
            }
        }
        if (ruleName != null) {
            normalizer.values().set("name", ruleName);
        }
        if (ruleTsv != null) {
            normalizer.values().set("normalization_rule_tsv", Files.readString(ruleTsv, StandardCharsets.UTF_8));
        }
        if (addDummyPrefix != null) {
            normalizer.values().set("add_dummy_prefix", addDummyPrefix);
        }
        if (removeExtraWhitespaces != null) {
            normalizer.values().set("remove_extra_whitespaces", removeExtraWhitespaces);
        }
        List<String> inputNames = new ArrayList<>();
        for (Path p : inputs) {
            if (!Files.isRegularFile(p)) {
                throw new CliException("no such input file: " + p);
            }
            inputNames.add(p.toString());
        }
        trainer.values().set("input", inputNames);
        trainer.values().set("model_prefix", Path.of(prefix).getFileName().toString());
        SentencePieceTrainer.setAllFlags(trainer, normalizer);

        PrintStream err = Main.streams(spec).err();
        PrintStream out = new PrintStream(Main.streams(spec).out(), false, StandardCharsets.UTF_8);
        SentencePieceTrainer.Result result;
        try (PhaseProgress progress = new PhaseProgress(err)) {
            TrainingListener listener = new TrainingListener() {
                @Override
                public void log(String message) {
                    if (!quiet) {
                        err.println("train: " + message);
                    }
                }

                @Override
                public void progress(String phase, long done, long total) {
                    progress.update(phase, phase.equals("reading") ? "MB" : "pieces", done, total);
                }
            };
            try {
                result = SentencePieceTrainer.trainAndWrite(LineSource.files(inputs), trainer, normalizer, prefix, seed, listener);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage(), e);
            }
        }
        out.print("model: " + prefix + ".model\n");
        out.print("vocab: " + prefix + ".vocab\n");
        out.print("vocab_size: " + result.model().pieces().size() + "\n");
        out.print("sentences: " + result.sentences() + "\n");
        out.print("distinct_words: " + result.distinctWords() + "\n");
        out.print(String.format(Locale.ROOT, "alphabet: %d (character coverage %.6f)%n", result.alphabetSize(), result.characterCoverage()));
        out.print(String.format(Locale.ROOT, "seconds: %.2f%n", result.seconds()));
        out.flush();
        return 0;
    }
}
