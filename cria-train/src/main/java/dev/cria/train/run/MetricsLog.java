package dev.cria.train.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.jsonl}: one JSON object per line, flushed as it is written. A training step is
 * {@code {"step", "loss", "lr", "grad_norm", "tokens_per_s", "tokens", "seconds"}}; a validation is
 * {@code {"step": N, "val_loss": X}}. On resume the lines after the checkpoint's step are dropped (they belong to
 * steps that run again), so the file reads as one uninterrupted run.
 */
public final class MetricsLog implements AutoCloseable {

    /** A point of a loss curve. */
    public record Point(long step, double value) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final BufferedWriter out;
    private final List<Point> training = new ArrayList<>();
    private final List<Point> validation = new ArrayList<>();

    private MetricsLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /**
     * Opens {@code file}: a new run ({@code resumeStep} 0) starts it empty; a resumed run keeps the lines up to and
     * including {@code resumeStep}.
     */
    public static MetricsLog open(Path file, long resumeStep) throws IOException {
        List<String> kept = new ArrayList<>();
        List<Point> train = new ArrayList<>();
        List<Point> val = new ArrayList<>();
        if (resumeStep > 0 && Files.exists(file)) {
            int lineNumber = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    // A run killed mid-write leaves at most a partial last line; it belongs to a step that runs again.
                    continue;
                }
                if (node == null || !node.has("step")) {
                    throw new IOException(file + ": line " + lineNumber + ": expected a metrics object with \"step\"");
                }
                long step = node.get("step").asLong();
                if (step > resumeStep) {
                    continue;
                }
                kept.add(line);
                if (node.has("val_loss")) {
                    val.add(new Point(step, node.get("val_loss").asDouble()));
                } else if (node.has("loss")) {
                    train.add(new Point(step, node.get("loss").asDouble()));
                }
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(temp, kept.isEmpty() ? List.of() : kept, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        MetricsLog log = new MetricsLog(file, out);
        log.training.addAll(train);
        log.validation.addAll(val);
        return log;
    }

    public Path file() {
        return file;
    }

    public void step(StepMetrics m) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("step", m.step());
        o.put("loss", m.loss());
        o.put("lr", m.lr());
        o.put("grad_norm", m.gradNorm());
        o.put("tokens_per_s", m.tokensPerSecond());
        o.put("tokens", m.tokens());
        o.put("seconds", m.seconds());
        write(o);
        training.add(new Point(m.step(), m.loss()));
    }

    public void validation(long step, double loss) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("step", step);
        o.put("val_loss", loss);
        write(o);
        validation.add(new Point(step, loss));
    }

    private void write(ObjectNode o) throws IOException {
        out.write(JSON.writeValueAsString(o));
        out.write('\n');
        out.flush();
    }

    /** Training losses so far, resumed lines included. */
    public List<Point> training() {
        return List.copyOf(training);
    }

    public List<Point> validation() {
        return List.copyOf(validation);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
