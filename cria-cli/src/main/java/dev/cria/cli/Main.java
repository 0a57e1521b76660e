package dev.cria.cli;

import dev.cria.cli.tokenizer.TokenizerCommand;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The {@code cria} command. Exit status: 0 on success, 1 when the work failed (bad input, unreadable
 * model: one message on stderr), 2 for a command line picocli could not parse.
 */
@Command(
        name = "cria",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "The LLaMA recipe in Java: data, tokenizer, model, training, inference.",
        subcommands = {QuickstartCommand.class, dev.cria.cli.model.GenerateCommand.class, dev.cria.cli.model.ChatCommand.class,
            dev.cria.cli.model.BenchCommand.class, dev.cria.cli.model.PerplexityCommand.class, dev.cria.cli.model.QuantizeCommand.class,
            dev.cria.cli.model.ConvertCommand.class, dev.cria.cli.model.InitCommand.class, dev.cria.cli.train.TrainCommand.class, TokenizerCommand.class,
            dev.cria.cli.data.DataCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {

    /** 128 + SIGPIPE, the status a shell reports for a process killed by a closed pipe. */
    static final int BROKEN_PIPE_EXIT = 141;

    private final CliStreams streams;

    private Main(CliStreams streams) {
        this.streams = streams;
    }

    public static void main(String[] args) {
        System.exit(run(CliStreams.system(), args));
    }

    /** Runs one command line on the given streams and returns its exit status; stdout is flushed before returning. */
    public static int run(CliStreams streams, String... args) {
        CommandLine commandLine = commandLine(streams);
        try {
            return commandLine.execute(args);
        } finally {
            commandLine.getOut().flush();
            commandLine.getErr().flush();
            try {
                streams.out().flush();
            } catch (IOException e) {
                if (!isBrokenPipe(e)) {
                    streams.err().println("cria: cannot write standard output: " + e.getMessage());
                }
            }
        }
    }

    /** The command tree with Cria's help layout and error handling, writing to {@code streams}. */
    public static CommandLine commandLine(CliStreams streams) {
        CommandLine commandLine = new CommandLine(new Main(streams));
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(streams.out(), StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(new OutputStreamWriter(streams.err(), StandardCharsets.UTF_8), true));
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            if (isBrokenPipe(exception)) {
                // The reader went away (`cria ... | head`): end quietly, as tools killed by SIGPIPE do.
                return BROKEN_PIPE_EXIT;
            }
            String command = failed.getCommandSpec().qualifiedName();
            failed.getErr().println(command + ": " + describe(exception));
            if (!(exception instanceof CliException) && !(exception instanceof IOException)
                    && !(exception instanceof UncheckedIOException)) {
                exception.printStackTrace(failed.getErr());
            }
            failed.getErr().flush();
            return 1;
        });
        commandLine.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, new CommandListRenderer());
        return commandLine;
    }

    /** The streams of the running command line, for any command in the tree. */
    public static CliStreams streams(CommandSpec spec) {
        return ((Main) spec.root().userObject()).streams;
    }

    private static boolean isBrokenPipe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // The JDK reports EPIPE only through this message.
            if (t instanceof IOException && "Broken pipe".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Exception exception) {
        Throwable e = exception instanceof UncheckedIOException unchecked ? unchecked.getCause() : exception;
        return switch (e) {
            case NoSuchFileException missing -> "no such file: " + missing.getFile();
            case AccessDeniedException denied -> "permission denied: " + denied.getFile();
            case CliException cli -> cli.getMessage();
            case IOException io -> io.getMessage() == null ? io.toString() : io.getMessage();
            default -> e.toString();
        };
    }
}
