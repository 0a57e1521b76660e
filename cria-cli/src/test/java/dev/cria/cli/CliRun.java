package dev.cria.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a {@code cria} command line in-process with captured streams. */
public record CliRun(int exitCode, byte[] stdout, String stderr) {

    public static CliRun run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        int exit = Main.run(new CliStreams(new ByteArrayInputStream(stdin), out, errStream), args);
        errStream.flush();
        return new CliRun(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    public static CliRun run(String... args) {
        return run(new byte[0], args);
    }

    public String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
