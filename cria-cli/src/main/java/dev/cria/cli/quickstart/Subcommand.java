package dev.cria.cli.quickstart;

import dev.cria.cli.CliException;
import dev.cria.cli.CliStreams;
import dev.cria.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs one of Cria's own command lines in this process: the quickstart is those commands chained, so every artifact it
 * writes is one the individual commands read and write, and the report can print the exact command of each step.
 */
final class Subcommand {
    private Subcommand() {
    }

    /** Runs {@code cria ARGS}, its progress going to {@code err}; returns its stdout, or fails with its message. */
    static String run(PrintStream err, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new CliStreams(new ByteArrayInputStream(new byte[0]), out, err), args.toArray(String[]::new));
        if (status != 0) {
            throw new CliException("quickstart: the step 'cria " + String.join(" ", args) + "' failed (exit status " + status + ")");
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The command line as a user would type it (arguments with spaces or quotes single-quoted). */
    static String shell(List<String> args) {
        StringBuilder b = new StringBuilder("./cria");
        for (String a : args) {
            b.append(' ');
            if (a.isEmpty() || !a.matches("[A-Za-z0-9_./=:,@+-]+")) {
                b.append('\'').append(a.replace("'", "'\\''")).append('\'');
            } else {
                b.append(a);
            }
        }
        return b.toString();
    }
}
