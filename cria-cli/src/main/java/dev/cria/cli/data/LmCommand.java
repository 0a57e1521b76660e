package dev.cria.cli.data;

import picocli.CommandLine.Command;

/** {@code cria data lm}: n-gram language model tools (KenLM's ARPA models). */
@Command(
        name = "lm",
        mixinStandardHelpOptions = true,
        description = "N-gram language models (KenLM ARPA files): scoring.",
        subcommands = {LmScoreCommand.class})
public final class LmCommand {
}
