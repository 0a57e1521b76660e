package dev.cria.tokenizer.spm.normalize;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs SentencePiece's command-line tools (Debian package {@code sentencepiece}) as the live reference.
 * A test that needs them is skipped when they are not installed, and fails when {@code CI=true}.
 */
final class SpmTools {

    private SpmTools() {
    }

    /** The path of a tool such as {@code spm_normalize}, or skip/fail as described above. */
    static Path tool(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        String message = name + " not found on PATH (Debian package sentencepiece)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + "; CI=true requires it");
        }
        abort(message + ": skipping");
        throw new AssertionError("unreachable");
    }

    /** Runs {@code tool} with {@code args} and returns its standard output; fails on a non-zero exit. */
    static byte[] run(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tool(tool).toString());
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile("spm-stderr", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail(command + " did not finish in 5 minutes");
            }
            if (process.exitValue() != 0) {
                fail(command + " exited with " + process.exitValue() + ":\n"
                        + Files.readString(stderr, StandardCharsets.ISO_8859_1));
            }
            return out;
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
