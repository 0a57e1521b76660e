package dev.cria.cli.train;

import dev.cria.cli.CliException;
import dev.cria.cli.Main;
import dev.cria.model.LlamaConfig;
import dev.cria.model.convert.GgufModelWriter;
import dev.cria.tensor.DType;
import dev.cria.tensor.Parallel;
import dev.cria.tokenizer.spm.SentencePieceModel;
import dev.cria.train.TrainableModel;
import dev.cria.train.checkpoint.CheckpointStore;
import dev.cria.train.data.TokenDataset;
import dev.cria.train.export.GgufExport;
import dev.cria.train.model.CheckpointPolicy;
import dev.cria.train.model.TrainableModels;
import dev.cria.train.optim.AdamW;
import dev.cria.train.run.MetricsLog;
import dev.cria.train.run.ProgressLine;
import dev.cria.train.run.RunState;
import dev.cria.train.run.TrainConfig;
import dev.cria.train.run.TrainSettings;
import dev.cria.train.run.Trainer;
import dev.cria.train.run.TrainingStoppedException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria train}: trains a LLaMA model from a YAML config ({@code docs/training.md}), or resumes a run from its
 * output folder. The output folder holds {@code train.yaml} (the effective config), {@code metrics.jsonl},
 * {@code loss.png}, {@code checkpoints/} and, at the end, {@code model.gguf}.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {"Train a LLaMA model from a YAML config, or resume a run.",
            "  cria train --config FILE [--output DIR] [--steps N] [--threads N] [--checkpoint POLICY]",
            "  cria train --resume DIR [--steps N] [--threads N]"})
public final class TrainCommand implements Callable<Integer> {

    /** The effective config in the output folder, read back by {@code --resume}. */
    static final String RUN_CONFIG = "train.yaml";
    static final String METRICS = "metrics.jsonl";
    static final String PLOT = "loss.png";
    static final String CHECKPOINTS = "checkpoints";
    static final String GGUF = "model.gguf";

    @Spec
    CommandSpec spec;

    static final class Start {
        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The run's YAML config.")
        Path config;

        @Option(names = "--resume", required = true, paramLabel = "DIR", description = "Continue the run whose output folder is DIR.")
        Path resume;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Start start;

    @Option(names = "--output", paramLabel = "DIR", description = "Output folder (overrides 'output').")
    Path output;

    @Option(names = "--steps", paramLabel = "N", description = "Total optimizer steps to reach (overrides 'steps'; with --resume, the new total).")
    Long steps;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (overrides 'threads'; results do not depend on it).")
    Integer threads;

    @Option(names = "--checkpoint", paramLabel = "POLICY", description = "Activation checkpointing: none, selective, full or reversible.")
    String checkpoint;

    @Override
    public Integer call() throws Exception {
        PrintStream log = Main.streams(spec).err();
        TrainConfig config;
        Path out;
        boolean resume = start.resume != null;
        if (resume) {
            if (output != null || checkpoint != null) {
                throw new CliException("--resume continues a run as it was configured; only --steps and --threads may change");
            }
            out = start.resume;
            Path file = out.resolve(RUN_CONFIG);
            if (!Files.isRegularFile(file)) {
                throw new CliException(out + " is not a training output folder: no " + RUN_CONFIG);
            }
            config = read(file);
        } else {
            config = read(start.config);
            if (output != null) {
                config = config.withOutput(output.toString());
            }
            if (checkpoint != null) {
                config = config.withCheckpoint(checkpoint);
            }
            if (config.output() == null) {
                throw new CliException(start.config + ": no output folder: give 'output' in the file or --output");
            }
            out = Path.of(config.output());
        }
        if (steps != null) {
            config = config.withSteps(steps);
        }
        if (threads != null) {
            config = config.withThreads(threads);
        }
        try {
            config.check(resume ? out.resolve(RUN_CONFIG).toString() : start.config.toString());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        CheckpointStore store = new CheckpointStore(out.resolve(CHECKPOINTS), config.keepCheckpointsOrDefault());
        Path latest = null;
        if (resume) {
            latest = store.latest().orElseThrow(() -> new CliException(out + ": no checkpoint to resume from (" + CHECKPOINTS + "/"
                    + CheckpointStore.LATEST + " is missing)"));
        } else if (Files.exists(store.dir().resolve(CheckpointStore.LATEST))) {
            throw new CliException(out + " already holds a run; continue it with --resume " + out + ", or choose another --output");
        }
        CheckpointPolicy policy = CheckpointPolicy.parse(config.policy());

        TrainConfig.Data data = resume ? config.data() : resolveData(config.data(), log);
        Path tokenizerFile = Path.of(data.tokenizer());
        SentencePieceModel tokenizer = SentencePieceModel.load(tokenizerFile);
        TrainSettings settings = config.trainSettings();
        double valFraction = data.valFraction() != null ? data.valFraction() : 0.05;
        try (TokenDataset dataset = TokenDataset.open(paths(data.train()), paths(data.validation()), valFraction, settings.seqLen() + 1)) {
            if (dataset.vocabSize() != tokenizer.vocabSize()) {
                throw new CliException(tokenizerFile + " has " + tokenizer.vocabSize() + " pieces but the shards' vocabulary is "
                        + dataset.vocabSize());
            }
            LlamaConfig llama;
            try {
                llama = config.llamaConfig(tokenizer.vocabSize());
            } catch (IllegalArgumentException e) {
                throw new CliException((resume ? out.resolve(RUN_CONFIG) : start.config) + ": " + e.getMessage());
            }
            TrainConfig effective = config.withData(data);
            if (!resume) {
                Files.createDirectories(out);
                effective.write(out.resolve(RUN_CONFIG));
            }
            try (Parallel parallel = new Parallel(config.threadsOrDefault());
                 TrainableModel model = TrainableModels.create(llama, policy, parallel, config.seedOrDefault())) {
                AdamW adamw = new AdamW(model.parameters(), settings.adamw());
                RunState state = RunState.start(settings.seed());
                if (latest != null) {
                    state = CheckpointStore.restore(latest, model.parameters(), adamw);
                    if (state.step() >= settings.totalSteps()) {
                        log.printf(Locale.ROOT, "%s is at step %d already; give --steps above it to train further%n", latest, state.step());
                        return 0;
                    }
                }
                log.printf(Locale.ROOT, "model: %,d parameters (dim %d, %d layers, %d heads, %d kv heads, hidden %d, vocab %d), %s checkpointing,"
                                + " %d threads%n", model.parameters().count(), llama.dim(), llama.layers(), llama.heads(), llama.kvHeads(),
                        llama.hiddenDim(), llama.vocabSize(), policy.optionName(), parallel.threads());
                log.printf(Locale.ROOT, "data: %,d training tokens, %,d validation tokens; %,d tokens per step (%d × %d, micro-batch %d)%n",
                        dataset.trainingTokens(), dataset.validationTokens(), settings.batchTokens(), settings.batchWindows(),
                        settings.seqLen(), settings.microBatch());
                Trainer.Outputs outputs = new Trainer.Outputs(MetricsLog.open(out.resolve(METRICS), state.step()), out.resolve(PLOT),
                        out.getFileName() + ": loss", store, new CheckpointStore.Model(llama, tokenizerFile, tokenizer.bosId(), tokenizer.eosId()));
                try (MetricsLog metrics = outputs.metrics()) {
                    Trainer trainer = new Trainer(model, settings, adamw, dataset, parallel, outputs, new ProgressLine(log, settings.logEvery()));
                    try {
                        state = trainer.run(state);
                    } catch (TrainingStoppedException e) {
                        throw new CliException(e.getMessage() + (store.latest().map(p -> " (last checkpoint: " + p + ")").orElse("")));
                    }
                }
                log.printf(Locale.ROOT, "activation memory: %,.1f MiB kept for the backward pass (%s)%n", model.activationBytes() / 1048576.0,
                        policy.optionName());
                export(config, policy, model, llama, tokenizer, out, log);
            }
        }
        return 0;
    }

    private static TrainConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CliException("no such config file: " + file);
        }
        try {
            return TrainConfig.read(file);
        } catch (TrainConfig.ConfigException e) {
            throw new CliException(e.getMessage());
        }
    }

    /**
     * Prepares Europarl data, or checks that the named files exist; returns the shards and tokenizer with absolute paths
     * (what {@code train.yaml} records, so a resumed run reads the same files from any working directory).
     */
    private static TrainConfig.Data resolveData(TrainConfig.Data data, PrintStream log) throws IOException {
        if (data.europarl() != null) {
            TrainConfig.Europarl e = data.europarl();
            String language = e.language() != null ? e.language() : "en";
            int vocab = e.vocabSize() != null ? e.vocabSize() : 2048;
            Path cache = e.cache() != null ? Path.of(e.cache()) : EuroparlTokens.defaultCache(language, vocab);
            EuroparlTokens.Prepared p = EuroparlTokens.prepare(language, vocab, cache, log);
            return new TrainConfig.Data(List.of(p.train().toAbsolutePath().toString()), List.of(p.validation().toAbsolutePath().toString()),
                    data.valFraction(), p.tokenizer().toAbsolutePath().toString(), null);
        }
        if (data.tokenizer() == null) {
            throw new CliException("data.tokenizer is missing: token shards need the SentencePiece model that made them (GGUF export and"
                    + " generation use it)");
        }
        List<String> missing = new ArrayList<>();
        List<String> all = new ArrayList<>(data.train());
        if (data.validation() != null) {
            all.addAll(data.validation());
        }
        all.add(data.tokenizer());
        for (String f : all) {
            if (!Files.isRegularFile(Path.of(f))) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            throw new CliException("missing data: " + String.join(", ", missing));
        }
        return new TrainConfig.Data(absolute(data.train()), data.validation() == null ? null : absolute(data.validation()), data.valFraction(),
                Path.of(data.tokenizer()).toAbsolutePath().toString(), null);
    }

    private static List<String> absolute(List<String> files) {
        return files.stream().map(f -> Path.of(f).toAbsolutePath().toString()).toList();
    }

    private static List<Path> paths(List<String> files) {
        return files == null ? List.of() : files.stream().map(Path::of).toList();
    }

    private static void export(TrainConfig config, CheckpointPolicy policy, TrainableModel model, LlamaConfig llama, SentencePieceModel tokenizer,
                               Path out, PrintStream log) throws IOException {
        String type = config.exportType();
        if (type.equals("none")) {
            return;
        }
        if (policy == CheckpointPolicy.REVERSIBLE) {
            log.println("export: the reversible model is another architecture; its checkpoints are Cria's own, no GGUF is written");
            return;
        }
        DType dtype = DType.valueOf(type.toUpperCase(Locale.ROOT));
        GgufModelWriter.Report report = GgufExport.write(model.parameters(), llama, tokenizer, out.resolve(GGUF), dtype,
                out.toAbsolutePath().getFileName().toString());
        log.printf(Locale.ROOT, "export: %s (%s); try: cria generate --model %s --prompt \"...\"%n", report.file(), type, report.file());
    }
}
