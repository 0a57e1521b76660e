package dev.cria.train.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cria.model.LlamaConfig;
import dev.cria.model.io.hf.HfLlamaConfig;
import dev.cria.model.io.safetensors.SafetensorsDType;
import dev.cria.model.io.safetensors.SafetensorsFile;
import dev.cria.model.io.safetensors.SafetensorsTensor;
import dev.cria.model.io.safetensors.SafetensorsWriter;
import dev.cria.train.ParameterTensor;
import dev.cria.train.Parameters;
import dev.cria.train.optim.AdamW;
import dev.cria.train.run.RunState;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The checkpoints of a run, in {@code DIR/step-NNNNNN/} folders with a {@code DIR/latest} file naming the newest:
 * <pre>
 *   model.safetensors       the weights, F32, under their Hugging Face Llama names
 *   config.json             the model shape as transformers' LlamaForCausalLM reads it
 *   tokenizer.model         the run's SentencePiece model, when it has one
 *   optimizer.safetensors   AdamW's moments: exp_avg.NAME and exp_avg_sq.NAME, F32; metadata "step"
 *   state.json              the run state: step, windows drawn (data position), seed, tokens
 * </pre>
 * so a checkpoint folder is also a Hugging Face checkpoint that {@code cria generate --model} and transformers load.
 *
 * <p>A checkpoint is written into a temporary folder, its files forced to disk, and the folder renamed to its
 * {@code step-NNNNNN} name; only then is {@code latest} replaced (temporary file and rename). A crash at any point
 * leaves {@code latest} naming a complete checkpoint. Older checkpoints beyond {@code keep} are deleted afterwards.
 */
public final class CheckpointStore {

    public static final String LATEST = "latest";
    public static final String MODEL_FILE = "model.safetensors";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    public static final String STATE_FILE = "state.json";
    public static final String TOKENIZER_FILE = "tokenizer.model";
    static final String FORMAT = "cria-train-checkpoint/1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final int keep;

    /**
     * @param dir the folder that holds the checkpoints
     * @param keep how many of the newest checkpoints to keep (at least 1)
     */
    public CheckpointStore(Path dir, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one checkpoint, got " + keep);
        }
        this.dir = dir;
        this.keep = keep;
    }

    public Path dir() {
        return dir;
    }

    /** What goes into a checkpoint besides the tensors. */
    public record Model(LlamaConfig config, Path tokenizer, int bosId, int eosId) {
    }

    /** Writes the checkpoint of {@code state} and makes it the latest; returns its folder. */
    public Path save(Model model, Parameters parameters, AdamW adamw, RunState state) throws IOException {
        Files.createDirectories(dir);
        String name = String.format("step-%06d", state.step());
        Path temp = dir.resolve("." + name + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Files.createDirectory(temp);
        try {
            writeModel(temp.resolve(MODEL_FILE), parameters);
            writeJson(temp.resolve("config.json"), HfLlamaConfig.toJson(model.config(), "float32", model.bosId(), model.eosId()));
            if (model.tokenizer() != null) {
                Files.copy(model.tokenizer(), temp.resolve(TOKENIZER_FILE));
                force(temp.resolve(TOKENIZER_FILE));
            }
            writeOptimizer(temp.resolve(OPTIMIZER_FILE), parameters, adamw);
            ObjectNode s = JSON.createObjectNode();
            s.put("format", FORMAT);
            s.put("step", state.step());
            s.put("windows_drawn", state.windowsDrawn());
            s.put("seed", state.seed());
            s.put("tokens", state.tokens());
            writeJson(temp.resolve(STATE_FILE), s);
            force(temp);
            Path target = dir.resolve(name);
            if (Files.exists(target)) {
                // Left by a run that died before pointing "latest" at it (latest names an earlier step): replace it.
                deleteTree(target);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            force(dir);
            Path latestTemp = dir.resolve("." + LATEST + ".tmp");
            Files.writeString(latestTemp, name + "\n", StandardCharsets.UTF_8);
            force(latestTemp);
            Files.move(latestTemp, dir.resolve(LATEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            force(dir);
            prune(name);
            return target;
        } finally {
            if (Files.exists(temp)) {
                deleteTree(temp);
            }
        }
    }

    /** The folder {@code latest} names, if there is one. */
    public Optional<Path> latest() throws IOException {
        Path pointer = dir.resolve(LATEST);
        if (!Files.exists(pointer)) {
            return Optional.empty();
        }
        String name = Files.readString(pointer, StandardCharsets.UTF_8).strip();
        Path checkpoint = dir.resolve(name);
        if (!name.matches("step-\\d+") || !Files.isDirectory(checkpoint)) {
            throw new CheckpointFormatException(pointer, "names '" + name + "', which is not a checkpoint folder in " + dir);
        }
        return Optional.of(checkpoint);
    }

    /**
     * Loads a checkpoint into {@code parameters} and {@code adamw}; returns its run state. Every tensor of the model
     * must be there with its shape, and no other.
     */
    public static RunState restore(Path checkpoint, Parameters parameters, AdamW adamw) throws IOException {
        Path stateFile = checkpoint.resolve(STATE_FILE);
        if (!Files.exists(stateFile)) {
            throw new CheckpointFormatException(checkpoint, "no " + STATE_FILE + "; not a Cria training checkpoint");
        }
        JsonNode s = new ObjectMapper().readTree(stateFile.toFile());
        if (s == null || !FORMAT.equals(s.path("format").asText())) {
            throw new CheckpointFormatException(stateFile, "expected \"format\": \"" + FORMAT + "\"");
        }
        RunState state = new RunState(required(s, "step", stateFile), required(s, "windows_drawn", stateFile),
                required(s, "seed", stateFile), required(s, "tokens", stateFile));
        try (SafetensorsFile model = SafetensorsFile.open(checkpoint.resolve(MODEL_FILE))) {
            readTensors(model, "", parameters, parameters.values());
        }
        float[] m = new float[parameters.count()];
        float[] v = new float[parameters.count()];
        long steps;
        try (SafetensorsFile opt = SafetensorsFile.open(checkpoint.resolve(OPTIMIZER_FILE))) {
            Set<String> used = new HashSet<>();
            used.addAll(read(opt, "exp_avg.", parameters, m));
            used.addAll(read(opt, "exp_avg_sq.", parameters, v));
            leftOver(opt, used);
            String step = opt.metadata().get("step");
            if (step == null || !step.matches("\\d+")) {
                throw new CheckpointFormatException(opt.path(), "metadata \"step\" missing or not a number: " + step);
            }
            steps = Long.parseLong(step);
        }
        adamw.restore(steps, m, v);
        return state;
    }

    private static long required(JsonNode node, String field, Path file) throws CheckpointFormatException {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber()) {
            throw new CheckpointFormatException(file, "field \"" + field + "\" missing or not an integer");
        }
        return v.asLong();
    }

    private static void readTensors(SafetensorsFile file, String prefix, Parameters parameters, float[] into) throws IOException {
        leftOver(file, read(file, prefix, parameters, into));
    }

    private static Set<String> read(SafetensorsFile file, String prefix, Parameters parameters, float[] into) throws IOException {
        Set<String> used = new HashSet<>();
        for (ParameterTensor t : parameters.tensors()) {
            String name = prefix + t.name();
            SafetensorsTensor st = file.find(name).orElseThrow(() -> new CheckpointFormatException(file.path(), "no tensor '" + name + "'"));
            long[] expected = Arrays.stream(t.shape()).asLongStream().toArray();
            if (st.dtype() != SafetensorsDType.F32 || !Arrays.equals(st.shape(), expected)) {
                throw new CheckpointFormatException(file.path(), "tensor '" + name + "' is " + st.describe() + ", the model needs F32 "
                        + Arrays.toString(expected));
            }
            MemorySegment.copy(st.data(), ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, into,
                    Math.toIntExact(t.offset()), Math.toIntExact(t.size()));
            used.add(name);
        }
        return used;
    }

    private static void leftOver(SafetensorsFile file, Set<String> used) throws CheckpointFormatException {
        for (SafetensorsTensor t : file.tensors()) {
            if (!used.contains(t.name())) {
                throw new CheckpointFormatException(file.path(), "tensor '" + t.name() + "' is not a parameter of the model");
            }
        }
    }

    /** Writes the weights under their own names as F32 safetensors. */
    public static void writeModel(Path file, Parameters parameters) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
        addAll(w, "", parameters, parameters.values());
        w.write(file);
    }

    private static void writeOptimizer(Path file, Parameters parameters, AdamW adamw) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter().metadata("step", Long.toString(adamw.steps()));
        addAll(w, "exp_avg.", parameters, adamw.firstMoment());
        addAll(w, "exp_avg_sq.", parameters, adamw.secondMoment());
        w.write(file);
    }

    private static void addAll(SafetensorsWriter w, String prefix, Parameters parameters, float[] values) {
        MemorySegment all = MemorySegment.ofArray(values);
        for (ParameterTensor t : parameters.tensors()) {
            long[] shape = Arrays.stream(t.shape()).asLongStream().toArray();
            if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                // The array's bytes are already safetensors' little-endian F32: write them without a copy.
                w.add(prefix + t.name(), SafetensorsDType.F32, shape, all.asSlice(t.offset() * 4, t.size() * 4));
            } else {
                float[] copy = Arrays.copyOfRange(values, Math.toIntExact(t.offset()), Math.toIntExact(t.offset() + t.size()));
                w.add(prefix + t.name(), copy, shape);
            }
        }
    }

    private static void writeJson(Path file, JsonNode json) throws IOException {
        Files.write(file, JSON.writeValueAsBytes(json));
        force(file);
    }

    /** Forces a file or a folder (its entries) to disk. */
    private static void force(Path path) throws IOException {
        try (FileChannel c = FileChannel.open(path, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException e) {
            if (!Files.isDirectory(path)) {
                throw e;
            }
            // Some file systems cannot sync a folder; the rename is still atomic there.
        }
    }

    private void prune(String newest) throws IOException {
        List<Path> checkpoints = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                String n = p.getFileName().toString();
                if (n.matches("step-\\d+") && Files.isDirectory(p)) {
                    checkpoints.add(p);
                } else if (n.startsWith(".step-") && n.contains(".tmp-")) {
                    checkpoints.add(p); // left by a crashed save
                }
            });
        }
        checkpoints.sort(Comparator.comparingLong(CheckpointStore::stepOf).reversed());
        int kept = 0;
        for (Path p : checkpoints) {
            String n = p.getFileName().toString();
            boolean complete = n.startsWith("step-");
            if (complete && (kept < keep || n.equals(newest))) {
                kept++;
                continue;
            }
            deleteTree(p);
        }
    }

    /** The step a checkpoint folder is named after; -1 for a temporary folder, which sorts last. */
    private static long stepOf(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith("step-") ? Long.parseLong(n.substring(5)) : -1;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException gone) {
                    // already deleted
                }
            }
        }
    }
}
