package dev.cria.cli.data;

import picocli.CommandLine.Command;

/**
 * {@code cria data ...}: the data pipeline's commands; alone it prints its usage. A new subcommand is one more class
 * in {@code subcommands}.
 */
@Command(
        name = "data",
        mixinStandardHelpOptions = true,
        description = "Build pretraining corpora: run recipes (readers, stages, dedup) over web dumps and other sources.",
        subcommands = {RunCommand.class, LidCommand.class, LmCommand.class, TrainLmCommand.class, TrainClassifierCommand.class,
            TokenizeCommand.class})
public final class DataCommand {
}
