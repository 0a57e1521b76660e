package dev.cria.cli.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.cli.CliException;
import dev.cria.cli.progress.PhaseProgress;
import dev.cria.data.Document;
import dev.cria.data.lm.CcnetLmNormalizer;
import dev.cria.data.read.JsonlReader;
import dev.cria.tokenizer.shard.TokenShardWriter;
import dev.cria.tokenizer.spm.SentencePieceModel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The LLaMA recipe end to end on the embedded Europarl corpus, as a chain of Cria's own commands: pages, the CCNet
 * chain through the data engine (two recipes: line dedup and language identification, then perplexity against a
 * 5-gram trained on held-out English pages, buckets, C4 and Gopher filters), a BPE tokenizer with LLaMA's options,
 * token shards, training, validation and samples. Every step's wall time, CPU time and throughput are recorded.
 */
public final class Quickstart {

    /** The fixed prompts whose continuations the report shows. */
    public static final List<String> PROMPTS = List.of("The European Parliament", "Mr President, I", "The Commission has",
            "We must ensure that");

    /** The output folder's layout; the quickstart owns these names and replaces them on every run. */
    public record Layout(Path dir) {
        public Path pages() {
            return dir.resolve("pages");
        }

        public Path lidRecipe() {
            return dir.resolve("recipe-ccnet-lid.yaml");
        }

        public Path english() {
            return dir.resolve("ccnet").resolve("english");
        }

        public Path lm() {
            return dir.resolve("lm");
        }

        public Path qualityRecipe() {
            return dir.resolve("recipe-ccnet-quality.yaml");
        }

        public Path kept() {
            return dir.resolve("ccnet").resolve("kept");
        }

        public Path tokenizerDir() {
            return dir.resolve("tokenizer");
        }

        public Path tokenizer() {
            return tokenizerDir().resolve("tokenizer.model");
        }

        public Path shards() {
            return dir.resolve("shards");
        }

        public Path trainConfig() {
            return dir.resolve("train.yaml");
        }

        public Path run() {
            return dir.resolve("train");
        }

        public Path gguf() {
            return run().resolve("model.gguf");
        }

        public Path report() {
            return dir.resolve("report.html");
        }

        List<Path> owned() {
            return List.of(pages(), lidRecipe(), dir.resolve("ccnet"), lm(), qualityRecipe(), tokenizerDir(), shards(), trainConfig(), run(),
                    report());
        }
    }

    /** What the user asked for. {@code documents} > 0 takes that many Europarl documents (tests). */
    public record Settings(Path output, long steps, ModelSize size, Path lidModel, int threads, long seed, int documents, int vocabSize) {
    }

    /** A step of the recipe and the command that reruns it on the quickstart's files. */
    public record Command(String step, String command) {
    }

    /** A training step's metrics and the validations. */
    public record TrainPoint(long step, double loss, double lr, double tokensPerSecond) {
    }

    public record ValPoint(long step, double valLoss) {
    }

    /** A prompt and the model's continuation. */
    public record Sample(String prompt, String continuation) {
    }

    /** Everything the summary and the report state. */
    public record Result(Settings settings, Layout layout, EuroparlPages.Written pages, List<JsonNode> funnels, long lmSentences,
                         long lmTokens, long keptPages, long keptBytes, int vocabSize, long trainTokens, long validationTokens,
                         long parameters, List<TrainPoint> training, List<ValPoint> validation, List<Sample> samples,
                         List<StepTiming> timings, List<Command> commands, double wallSeconds) {

        public double valLoss() {
            return validation.getLast().valLoss();
        }

        public double valPerplexity() {
            return Math.exp(valLoss());
        }
    }

    private final Settings settings;
    private final Layout layout;
    private final PrintStream err;
    private final List<StepTiming> timings = new ArrayList<>();
    private final List<Command> commands = new ArrayList<>();

    public Quickstart(Settings settings, PrintStream err) {
        this.settings = settings;
        this.layout = new Layout(settings.output().toAbsolutePath().normalize());
        this.err = err;
    }

    public Result run() throws IOException {
        long start = System.nanoTime();
        Path dir = layout.dir();
        Files.createDirectories(dir);
        for (Path p : layout.owned()) {
            deleteTree(p);
        }

        // 1. Europarl documents become pages whose lines are paragraphs.
        StepTiming.Clock clock = new StepTiming.Clock();
        EuroparlPages.Written pages;
        try (PhaseProgress progress = new PhaseProgress(err)) {
            pages = EuroparlPages.write(layout.pages(), settings.seed(), settings.documents(), progress);
        }
        timings.add(clock.stop("pages", pages.documents(), "documents"));

        // 2. CCNet, first recipe: line dedup and language identification keeping English.
        Files.writeString(layout.lidRecipe(), Recipes.lid(settings, layout));
        clock = new StepTiming.Clock();
        step("ccnet: line dedup, language identification", List.of("data", "run", layout.lidRecipe().toString(), "--threads",
                Integer.toString(settings.threads())));
        List<JsonNode> funnels = new ArrayList<>();
        funnels.add(readJson(layout.english().resolve("funnel.json")));
        timings.add(clock.stop("ccnet: line dedup + LID", pages.pages(), "pages"));

        // 3. The reference 5-gram, trained on the held-out tenth of the English pages (CCNet trained on Wikipedia).
        clock = new StepTiming.Clock();
        long[] lm = referenceLm();
        timings.add(clock.stop("5-gram reference LM", lm[1], "LM tokens"));

        // 4. CCNet, second recipe: perplexity, buckets, C4 and Gopher filters on the other English pages.
        Files.writeString(layout.qualityRecipe(), Recipes.quality(settings, layout));
        clock = new StepTiming.Clock();
        step("ccnet: perplexity, buckets, C4, Gopher", List.of("data", "run", layout.qualityRecipe().toString(), "--threads",
                Integer.toString(settings.threads())));
        funnels.add(readJson(layout.kept().resolve("funnel.json")));
        timings.add(clock.stop("ccnet: perplexity + buckets + C4 + Gopher", funnels.get(1).path("output").path("documents").asLong(), "pages kept"));

        // 5. The tokenizer, with LLaMA's options, on the kept text.
        List<Document> kept = readShards(layout.kept());
        if (kept.isEmpty()) {
            throw new CliException("quickstart: no page survived the CCNet chain (see " + layout.kept().resolve("funnel.html") + ")");
        }
        long keptBytes = 0;
        Files.createDirectories(layout.tokenizerDir());
        Path corpus = layout.tokenizerDir().resolve("corpus.txt");
        try (BufferedWriter w = Files.newBufferedWriter(corpus, StandardCharsets.UTF_8)) {
            for (Document d : kept) {
                w.write(d.text());
                w.write('\n');
                keptBytes += d.textBytes();
            }
        }
        clock = new StepTiming.Clock();
        step("tokenizer", List.of("tokenizer", "train", "--input", corpus.toString(), "--output",
                layout.tokenizerDir().resolve("tokenizer").toString(), "--llama", "--vocab-size", Integer.toString(settings.vocabSize()),
                "--num-threads", Integer.toString(settings.threads()), "--quiet"));
        timings.add(clock.stop("tokenizer (BPE, LLaMA options)", keptBytes / 1e6, "MB"));

        // 6. Token shards: every twentieth kept page goes to the validation shard.
        clock = new StepTiming.Clock();
        SentencePieceModel spm = SentencePieceModel.load(layout.tokenizer());
        Files.createDirectories(layout.shards());
        long trainTokens;
        long validationTokens;
        try (TokenShardWriter train = TokenShardWriter.create(layout.shards().resolve("train.tok"), spm.vocabSize(), spm.bosId(), spm.eosId());
             TokenShardWriter val = TokenShardWriter.create(layout.shards().resolve("val.tok"), spm.vocabSize(), spm.bosId(), spm.eosId());
             PhaseProgress progress = new PhaseProgress(err)) {
            for (int i = 0; i < kept.size(); i++) {
                byte[] utf8 = kept.get(i).text().getBytes(StandardCharsets.UTF_8);
                (i % 20 == 19 ? val : train).addDocument(spm.encode(utf8, 0, utf8.length));
                progress.update("token shards", "pages", i + 1, kept.size());
            }
            trainTokens = train.commit().tokenCount();
            validationTokens = val.commit().tokenCount();
        }
        timings.add(clock.stop("token shards", trainTokens + validationTokens, "tokens"));

        // 7. Training, validation and the GGUF export: cria train on the config written here.
        Files.writeString(layout.trainConfig(), Recipes.train(settings, layout));
        clock = new StepTiming.Clock();
        step("training", List.of("train", "--config", layout.trainConfig().toString(), "--threads", Integer.toString(settings.threads())));
        List<TrainPoint> training = new ArrayList<>();
        List<ValPoint> validation = new ArrayList<>();
        readMetrics(layout.run().resolve("metrics.jsonl"), training, validation);
        if (validation.isEmpty() || training.isEmpty()) {
            throw new CliException("quickstart: " + layout.run().resolve("metrics.jsonl") + " holds no training or validation results");
        }
        long batchTokens = Recipes.BATCH_TOKENS * training.size();
        timings.add(clock.stop("training (" + settings.size().optionName() + ", selective checkpointing)", batchTokens, "tokens"));
        long parameters = parameterCount(spm.vocabSize());

        // 8. Continuations of the fixed prompts from the exported model.
        clock = new StepTiming.Clock();
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < PROMPTS.size(); i++) {
            List<String> args = generate(PROMPTS.get(i));
            String text = Subcommand.run(err, args);
            samples.add(new Sample(PROMPTS.get(i), text.stripTrailing()));
            if (i == 0) {
                commands.add(new Command("generation", Subcommand.shell(args)));
            }
        }
        timings.add(clock.stop("samples", (long) PROMPTS.size() * Recipes.SAMPLE_TOKENS, "tokens (at most)"));

        return new Result(settings, layout, pages, funnels, lm[0], lm[1], kept.size(), keptBytes, spm.vocabSize(), trainTokens,
                validationTokens, parameters, training, validation, samples, List.copyOf(timings), List.copyOf(commands),
                (System.nanoTime() - start) / 1e9);
    }

    List<String> generate(String prompt) {
        return List.of("generate", "--model", layout.gguf().toString(), "--prompt", prompt, "--max-tokens",
                Integer.toString(Recipes.SAMPLE_TOKENS), "--temperature", "0.8", "--top-k", "40", "--seed", Long.toString(settings.seed()),
                "--threads", Integer.toString(settings.threads()));
    }

    /** Parameters of the trained LLaMA: embeddings and output projection, and per layer attention, SwiGLU and two norms. */
    private long parameterCount(int vocab) {
        ModelSize m = settings.size();
        long headDim = m.dim() / m.heads();
        long attention = (long) m.dim() * m.dim() * 2 + 2L * m.dim() * m.kvHeads() * headDim;
        long ffn = 3L * m.dim() * m.hidden();
        return 2L * vocab * m.dim() + m.layers() * (attention + ffn + 2L * m.dim()) + m.dim();
    }

    /** Trains the reference LM's SentencePiece model and 5-gram; returns {sentences, tokens}. */
    private long[] referenceLm() throws IOException {
        Files.createDirectories(layout.lm());
        Path normalized = layout.lm().resolve("en.txt");
        long lines = 0;
        Set<String> words = new HashSet<>();
        try (BufferedWriter w = Files.newBufferedWriter(normalized, StandardCharsets.UTF_8)) {
            for (Document d : readShards(layout.english())) {
                if (!"lm".equals(String.valueOf(d.meta().get("split")))) {
                    continue;
                }
                for (String line : d.text().split("\n")) {
                    String n = CcnetLmNormalizer.normalize(line);
                    if (!n.isBlank()) {
                        words.addAll(List.of(n.split(" +")));
                        w.write(n);
                        w.write('\n');
                        lines++;
                    }
                }
            }
        }
        if (lines == 0) {
            throw new CliException("quickstart: no held-out English page to train the reference language model on (see "
                    + layout.english().resolve("funnel.html") + ")");
        }
        step("reference LM tokenizer", List.of("tokenizer", "train", "--input", normalized.toString(), "--output",
                layout.lm().resolve("en.sp").toString(), "--model-type", "bpe", "--vocab-size", Integer.toString(Recipes.lmVocabulary(words.size())),
                "--num-threads", Integer.toString(settings.threads()), "--quiet"));
        SentencePieceModel sp = SentencePieceModel.load(layout.lm().resolve("en.sp.model"));
        Path pieces = layout.lm().resolve("en.pieces.txt");
        long tokens = 0;
        try (BufferedWriter w = Files.newBufferedWriter(pieces, StandardCharsets.UTF_8);
             Stream<String> in = Files.lines(normalized)) {
            for (String line : (Iterable<String>) in::iterator) {
                List<String> p = sp.encodeAsPieces(line);
                w.write(String.join(" ", p));
                w.write('\n');
                tokens += p.size();
            }
        }
        step("reference 5-gram", List.of("data", "train-lm", "-o", "5", "--input", pieces.toString(), "--output",
                layout.lm().resolve("en.arpa").toString(), "--discount_fallback", "--skip_symbols"));
        return new long[] {lines, tokens};
    }

    private void step(String name, List<String> args) {
        commands.add(new Command(name, Subcommand.shell(args)));
        err.println("quickstart: " + name + ": " + Subcommand.shell(args));
        Subcommand.run(err, args);
    }

    /** The documents of an engine output folder: every shard below it, in path order (so the same on every run). */
    static List<Document> readShards(Path folder) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().startsWith("part-")
                            && p.getFileName().toString().endsWith(".jsonl.gz") && !p.toString().contains("/.cria-run/"))
                    .sorted(Comparator.comparing(p -> folder.relativize(p).toString()))
                    .toList();
        }
        List<Document> docs = new ArrayList<>();
        for (Path f : files) {
            try (JsonlReader r = new JsonlReader(f, "ccnet", "text")) {
                for (Document d = r.next(); d != null; d = r.next()) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }

    private static void readMetrics(Path file, List<TrainPoint> training, List<ValPoint> validation) throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = json.readTree(line);
            if (n.has("val_loss")) {
                validation.add(new ValPoint(n.path("step").asLong(), n.path("val_loss").asDouble()));
            } else if (n.has("loss")) {
                training.add(new TrainPoint(n.path("step").asLong(), n.path("loss").asDouble(), n.path("lr").asDouble(),
                        n.path("tokens_per_s").asDouble()));
            }
        }
    }

    private static JsonNode readJson(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    static String number(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
