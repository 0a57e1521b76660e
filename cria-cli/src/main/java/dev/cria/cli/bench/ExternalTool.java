package dev.cria.cli.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A peer program on the PATH (spm_encode, spm_train), timed as a whole process. */
public final class ExternalTool {
    private final Path executable;

    private ExternalTool(Path executable) {
        this.executable = executable;
    }

    /** The tool, or null when it is not installed. */
    public static ExternalTool find(String name) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return new ExternalTool(p);
            }
        }
        return null;
    }

    /** Runs with stdin from {@code input} (or none), stdout and stderr discarded; returns seconds of wall time. */
    public double time(Path input, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.redirectInput(input == null ? ProcessBuilder.Redirect.from(new File("/dev/null")) : ProcessBuilder.Redirect.from(input.toFile()));
        long start = System.nanoTime();
        Process p = pb.start();
        try {
            int code = p.waitFor();
            if (code != 0) {
                throw new IOException(cmd + " exited with status " + code);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public String toString() {
        return executable.toString();
    }
}
