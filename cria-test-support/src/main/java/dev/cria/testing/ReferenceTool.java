package dev.cria.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A reference program installed on the machine (SentencePiece's spm_encode, fastText, ...), run as a live
 * reference. Missing: the test is skipped with a message, or fails when {@code CI=true} (CI installs them).
 */
public final class ReferenceTool {
    private final Path executable;

    private ReferenceTool(Path executable) {
        this.executable = executable;
    }

    /** Finds {@code name} on the PATH (or /usr/bin); skips or fails the test when it is absent. */
    public static ReferenceTool require(String name, String debianPackage) {
        ReferenceTool t = find(name);
        if (t == null) {
            String message = name + " not found (apt-get install " + debianPackage + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + "; CI=true requires it");
            }
            abort(message + ": skipping");
        }
        return t;
    }

    /** The tool, or null when it is not installed. */
    public static ReferenceTool find(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return new ReferenceTool(p);
            }
        }
        return null;
    }

    public Path path() {
        return executable;
    }

    /** Runs the tool with {@code args}, stdin from {@code input} (or nothing), and returns its stdout bytes. */
    public byte[] run(Path input, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (input != null) {
            pb.redirectInput(input.toFile());
        } else {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Path err = Files.createTempFile("cria-ref-", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(cmd + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        Files.deleteIfExists(err);
        if (p.exitValue() != 0) {
            throw new IOException(cmd + " exited with " + p.exitValue() + ": " + stderr);
        }
        return out;
    }

    /** {@link #run} with stdout split into lines (UTF-8, '\n'). */
    public List<String> runLines(Path input, String... args) throws IOException {
        String out = new String(run(input, args), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(out.split("\n", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return lines;
    }
}
