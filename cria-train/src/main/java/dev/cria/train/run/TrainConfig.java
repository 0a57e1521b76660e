package dev.cria.train.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.cria.model.LlamaConfig;
import dev.cria.train.optim.AdamWSettings;
import dev.cria.train.optim.CosineSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A training run as its YAML file describes it ({@code docs/training.md} documents every key). Keys are snake_case;
 * an unknown key, a value of the wrong type or a missing required key is a {@link ConfigException} naming the file
 * and the line, raised before any work starts. Absent optional keys take the defaults below (the paper's where it
 * gives one). Relative paths are relative to the working directory.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainConfig(Model model, Integer seqLen, Integer batchTokens, Integer microBatch, Long steps, Double lr, Long warmup,
                          Double finalLrRatio, Double weightDecay, Double beta1, Double beta2, Double eps, Double gradClip,
                          String checkpoint, Long seed, Integer threads, String output, Integer valEvery, Integer valTokens,
                          Integer checkpointEvery, Integer keepCheckpoints, Integer logEvery, String export, Data data) {

    /** The model's shape ({@code model:}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Model(Integer dim, Integer layers, Integer heads, Integer kvHeads, Integer hidden, Integer vocab, Double normEps,
                        Double ropeTheta, Boolean tiedEmbeddings) {
    }

    /** Where the tokens come from ({@code data:}): token shards and their tokenizer, or the embedded Europarl text. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Data(List<String> train, List<String> validation, Double valFraction, String tokenizer, Europarl europarl) {
    }

    /**
     * Prepare tokenizer and shards from the Europarl corpus embedded in Cria ({@code data.europarl:}).
     *
     * @param language {@code en} (documents Lingua detects as English) or {@code all}
     * @param vocabSize the SentencePiece BPE vocabulary to train
     * @param cache folder where the tokenizer and shards are kept between runs
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Europarl(String language, Integer vocabSize, String cache) {
    }

    /** A bad config: the message names the file and, when known, the line. */
    public static final class ConfigException extends IllegalArgumentException {
        public ConfigException(String message) {
            super(message);
        }
    }

    public static final String DEFAULT_POLICY = "selective";
    public static final List<String> POLICIES = List.of("none", "selective", "full", "reversible");
    public static final List<String> EXPORT_TYPES = List.of("none", "f32", "f16", "bf16", "q8_0", "q4_0");

    private static ObjectMapper mapper() {
        YAMLFactory yaml = YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build();
        return new ObjectMapper(yaml)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** Reads and checks {@code file} (every rule of {@link #check}). */
    public static TrainConfig read(Path file) throws IOException {
        TrainConfig c;
        try {
            c = mapper().readValue(Files.readAllBytes(file), TrainConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new ConfigException(file + where(e.getLocation()) + ": unknown key '" + path(e) + "' (known keys here: " + known + ")");
        } catch (JsonMappingException e) {
            throw new ConfigException(file + where(e.getLocation()) + ": " + (e.getPath().isEmpty() ? "" : "'" + path(e) + "': ")
                    + e.getOriginalMessage().replaceAll(" \\(class [^)]*\\)", "").replaceAll("`", "'"));
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + where(e.getLocation()) + ": not valid YAML: " + e.getOriginalMessage());
        }
        if (c == null) {
            throw new ConfigException(file + ": empty config");
        }
        c.check(file.toString());
        return c;
    }

    private static String where(JsonLocation at) {
        return at == null || at.getLineNr() < 1 ? "" : ": line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** The config as YAML, with every default filled in (the run's {@code train.yaml}). */
    public String toYaml() {
        try {
            return mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void write(Path file) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temp, toYaml());
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Checks what can be checked without reading data: required keys present, numbers in range, the batch a whole
     * number of windows and micro-batches, the policy and export type known.
     *
     * @param source the file name for messages
     */
    public void check(String source) {
        List<String> problems = new ArrayList<>();
        if (model == null) {
            problems.add("missing required section 'model' (dim, layers, heads, hidden)");
        } else {
            positive(problems, "model.dim", model.dim(), true);
            positive(problems, "model.layers", model.layers(), true);
            positive(problems, "model.heads", model.heads(), true);
            positive(problems, "model.hidden", model.hidden(), true);
            positive(problems, "model.kv_heads", model.kvHeads(), false);
            positive(problems, "model.vocab", model.vocab(), false);
            if (model.normEps() != null && !(model.normEps() > 0)) {
                problems.add("model.norm_eps must be positive, is " + model.normEps());
            }
            if (model.ropeTheta() != null && !(model.ropeTheta() > 0)) {
                problems.add("model.rope_theta must be positive, is " + model.ropeTheta());
            }
        }
        positive(problems, "seq_len", seqLen, true);
        positive(problems, "batch_tokens", batchTokens, true);
        positive(problems, "micro_batch", microBatch, false);
        if (steps == null) {
            problems.add("missing required key 'steps'");
        } else if (steps < 1) {
            problems.add("steps must be at least 1, is " + steps);
        }
        if (lr == null) {
            problems.add("missing required key 'lr'");
        } else if (!(lr > 0)) {
            problems.add("lr must be positive, is " + lr);
        }
        if (warmup != null && warmup < 0) {
            problems.add("warmup must be >= 0, is " + warmup);
        }
        range(problems, "final_lr_ratio", finalLrRatio, 0, 1);
        range(problems, "beta1", beta1, 0, 0.999999);
        range(problems, "beta2", beta2, 0, 0.999999);
        if (weightDecay != null && !(weightDecay >= 0)) {
            problems.add("weight_decay must be >= 0, is " + weightDecay);
        }
        if (eps != null && !(eps > 0)) {
            problems.add("eps must be positive, is " + eps);
        }
        if (gradClip != null && !(gradClip > 0)) {
            problems.add("grad_clip must be positive, is " + gradClip);
        }
        if (checkpoint != null && !POLICIES.contains(checkpoint.toLowerCase(Locale.ROOT))) {
            problems.add("checkpoint is '" + checkpoint + "', expected one of " + POLICIES);
        }
        if (export != null && !EXPORT_TYPES.contains(export.toLowerCase(Locale.ROOT))) {
            problems.add("export is '" + export + "', expected one of " + EXPORT_TYPES);
        }
        positive(problems, "threads", threads, false);
        nonNegative(problems, "val_every", valEvery);
        nonNegative(problems, "val_tokens", valTokens);
        nonNegative(problems, "checkpoint_every", checkpointEvery);
        positive(problems, "keep_checkpoints", keepCheckpoints, false);
        positive(problems, "log_every", logEvery, false);
        if (seqLen != null && seqLen > 0 && batchTokens != null && batchTokens > 0) {
            if (batchTokens % seqLen != 0) {
                problems.add("batch_tokens " + batchTokens + " is not a whole number of windows of seq_len " + seqLen);
            } else if (microBatch != null && microBatch > 0 && (batchTokens / seqLen) % microBatch != 0) {
                problems.add("the batch of " + batchTokens / seqLen + " windows (batch_tokens / seq_len) is not a multiple of micro_batch "
                        + microBatch);
            }
        }
        if (data == null) {
            problems.add("missing required section 'data' (train and tokenizer, or europarl)");
        } else {
            boolean shards = data.train() != null && !data.train().isEmpty();
            if (shards == (data.europarl() != null)) {
                problems.add("data needs either 'train' (token shards, with 'tokenizer') or 'europarl', not " + (shards ? "both" : "neither"));
            }
            if (data.valFraction() != null && !(data.valFraction() >= 0 && data.valFraction() < 1)) {
                problems.add("data.val_fraction must be in [0, 1), is " + data.valFraction());
            }
            if (data.europarl() != null) {
                Europarl e = data.europarl();
                if (e.language() != null && !List.of("en", "all").contains(e.language())) {
                    problems.add("data.europarl.language is '" + e.language() + "', expected en or all");
                }
                if (e.vocabSize() != null && (e.vocabSize() < 300 || e.vocabSize() > 65536)) {
                    problems.add("data.europarl.vocab_size must be in [300, 65536], is " + e.vocabSize());
                }
            }
        }
        if (model != null && model.dim() != null && model.heads() != null && model.dim() > 0 && model.heads() > 0) {
            int kv = model.kvHeads() != null ? model.kvHeads() : model.heads();
            if (model.dim() % model.heads() != 0 || (model.dim() / model.heads()) % 2 != 0) {
                problems.add("model.dim " + model.dim() + " must split into model.heads " + model.heads() + " heads of an even size");
            } else if (kv > 0 && model.heads() % kv != 0) {
                problems.add("model.heads " + model.heads() + " is not a multiple of model.kv_heads " + kv);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source + ": " + String.join("; ", problems));
        }
    }

    private static void positive(List<String> problems, String key, Number value, boolean required) {
        if (value == null) {
            if (required) {
                problems.add("missing required key '" + key + "'");
            }
        } else if (value.longValue() < 1) {
            problems.add(key + " must be at least 1, is " + value);
        }
    }

    private static void nonNegative(List<String> problems, String key, Integer value) {
        if (value != null && value < 0) {
            problems.add(key + " must be >= 0, is " + value);
        }
    }

    private static void range(List<String> problems, String key, Double value, double lo, double hi) {
        if (value != null && !(value >= lo && value <= hi)) {
            problems.add(key + " must be in [" + lo + ", " + hi + "], is " + value);
        }
    }

    // Effective values: the file's, or the defaults.

    public int microBatchWindows() {
        return microBatch != null ? microBatch : batchTokens / seqLen;
    }

    public String policy() {
        return (checkpoint != null ? checkpoint : DEFAULT_POLICY).toLowerCase(Locale.ROOT);
    }

    public String exportType() {
        return (export != null ? export : "f32").toLowerCase(Locale.ROOT);
    }

    public long seedOrDefault() {
        return seed != null ? seed : 1;
    }

    public int threadsOrDefault() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** The model shape; {@code vocabSize} is the tokenizer's, which {@code model.vocab}, when given, must equal. */
    public LlamaConfig llamaConfig(int vocabSize) {
        if (model.vocab() != null && model.vocab() != vocabSize) {
            throw new ConfigException("model.vocab is " + model.vocab() + " but the tokenizer and shards have " + vocabSize + " tokens");
        }
        int kv = model.kvHeads() != null ? model.kvHeads() : model.heads();
        return new LlamaConfig(model.dim(), model.hidden(), model.layers(), model.heads(), kv, vocabSize, seqLen,
                (float) (model.normEps() != null ? model.normEps() : 1e-5), (float) (model.ropeTheta() != null ? model.ropeTheta() : 10000.0),
                null, model.tiedEmbeddings() != null && model.tiedEmbeddings());
    }

    /** The loop's settings: the paper's AdamW and schedule constants unless the file overrides them. */
    public TrainSettings trainSettings() {
        CosineSchedule schedule = new CosineSchedule(lr, warmup != null ? warmup : 2000, steps, finalLrRatio != null ? finalLrRatio : 0.1);
        AdamWSettings adamw = new AdamWSettings(beta1 != null ? beta1 : 0.9, beta2 != null ? beta2 : 0.95, eps != null ? eps : 1e-8,
                weightDecay != null ? weightDecay : 0.1);
        int valWindows = (valTokens != null ? valTokens : 65_536) / seqLen;
        return new TrainSettings(seqLen, batchTokens / seqLen, microBatchWindows(), schedule, adamw, gradClip != null ? gradClip : 1.0,
                seedOrDefault(), valEvery != null ? valEvery : 100, valWindows, checkpointEvery != null ? checkpointEvery : 1000,
                logEvery != null ? logEvery : 10);
    }

    public int keepCheckpointsOrDefault() {
        return keepCheckpoints != null ? keepCheckpoints : 2;
    }

    // Overrides from the command line.

    public TrainConfig withSteps(long value) {
        return new TrainConfig(model, seqLen, batchTokens, microBatch, value, lr, warmup, finalLrRatio, weightDecay, beta1, beta2, eps,
                gradClip, checkpoint, seed, threads, output, valEvery, valTokens, checkpointEvery, keepCheckpoints, logEvery, export, data);
    }

    public TrainConfig withThreads(int value) {
        return new TrainConfig(model, seqLen, batchTokens, microBatch, steps, lr, warmup, finalLrRatio, weightDecay, beta1, beta2, eps,
                gradClip, checkpoint, seed, value, output, valEvery, valTokens, checkpointEvery, keepCheckpoints, logEvery, export, data);
    }

    public TrainConfig withCheckpoint(String policy) {
        return new TrainConfig(model, seqLen, batchTokens, microBatch, steps, lr, warmup, finalLrRatio, weightDecay, beta1, beta2, eps,
                gradClip, policy, seed, threads, output, valEvery, valTokens, checkpointEvery, keepCheckpoints, logEvery, export, data);
    }

    public TrainConfig withOutput(String dir) {
        return new TrainConfig(model, seqLen, batchTokens, microBatch, steps, lr, warmup, finalLrRatio, weightDecay, beta1, beta2, eps,
                gradClip, checkpoint, seed, threads, dir, valEvery, valTokens, checkpointEvery, keepCheckpoints, logEvery, export, data);
    }

    public TrainConfig withData(Data value) {
        return new TrainConfig(model, seqLen, batchTokens, microBatch, steps, lr, warmup, finalLrRatio, weightDecay, beta1, beta2, eps,
                gradClip, checkpoint, seed, threads, output, valEvery, valTokens, checkpointEvery, keepCheckpoints, logEvery, export, value);
    }
}
