package dev.cria.cli.tokenizer;

import picocli.CommandLine.Command;

/** {@code cria tokenizer ...}: the group of tokenizer commands; alone it prints its usage. */
@Command(
        name = "tokenizer",
        mixinStandardHelpOptions = true,
        description = "Train, run and inspect tokenizers: SentencePiece BPE (LLaMA 1/2) and Llama 3 byte-level BPE.",
        subcommands = {EncodeCommand.class, DecodeCommand.class, InfoCommand.class, TrainCommand.class, BenchCommand.class,
            BenchTrainCommand.class})
public final class TokenizerCommand {
}
