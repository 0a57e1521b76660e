package dev.cria.cli.model;

import dev.cria.cli.CliException;
import dev.cria.cli.Main;
import dev.cria.model.LlamaModel;
import dev.cria.model.Transformer;
import dev.cria.model.chat.ChatSession;
import dev.cria.model.chat.ChatTemplate;
import dev.cria.model.generate.GenerationOptions;
import dev.cria.model.generate.GenerationResult;
import dev.cria.model.generate.Generator;
import dev.cria.model.sample.SamplerSettings;
import dev.cria.tensor.Parallel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria chat}: an interactive conversation. Each line on stdin is a user message; the reply streams to stdout,
 * followed by a blank line. History stays within the context (the oldest exchanges are dropped when it fills).
 * End with end-of-input or {@code /exit}.
 */
@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        description = "Chat with a model interactively (Llama 2 or Llama 3 chat format), streaming its replies.")
public final class ChatCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--system", paramLabel = "TEXT", description = "System prompt.")
    String system;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Most tokens per reply (default: ${DEFAULT-VALUE}).")
    int maxTokens = 512;

    @Option(names = "--temperature", paramLabel = "T", description = "0 is greedy (default: ${DEFAULT-VALUE}).")
    float temperature = 0.7f;

    @Option(names = "--top-k", paramLabel = "K", description = "Default: ${DEFAULT-VALUE}.")
    int topK = 40;

    @Option(names = "--top-p", paramLabel = "P", description = "Default: ${DEFAULT-VALUE}.")
    float topP = 0.95f;

    @Option(names = "--seed", paramLabel = "S", description = "Default: ${DEFAULT-VALUE}.")
    long seed = 42;

    @Option(names = "--context", paramLabel = "N", description = "Context length (default: the model's, at most 4096).")
    int context;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(Main.streams(spec).out(), false, StandardCharsets.UTF_8);
        PrintStream err = Main.streams(spec).err();
        try (LlamaModel loaded = model.load(); Parallel parallel = new Parallel(model.threads)) {
            if (loaded.tokenizer() == null) {
                throw new CliException(model.model + " carries no tokenizer: give one with --tokenizer");
            }
            Generator generator = new Generator(new Transformer(loaded, parallel), loaded.tokenizer());
            ChatTemplate template = ChatTemplate.forModel(loaded.chatTemplate(), loaded.tokenizer());
            GenerationOptions options = new GenerationOptions(maxTokens, List.of(), new SamplerSettings(temperature, topK, topP, seed), context);
            ChatSession session = new ChatSession(generator, template, system, options);
            err.println("chat: " + template.name() + " format; type a message, /exit or end of input to quit");
            BufferedReader in = new BufferedReader(new InputStreamReader(Main.streams(spec).in(), StandardCharsets.UTF_8));
            while (true) {
                err.print("> ");
                err.flush();
                String line = in.readLine();
                if (line == null || line.strip().equals("/exit")) {
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                GenerationResult result;
                try {
                    result = session.send(line, text -> {
                        out.print(text);
                        out.flush();
                    });
                } catch (IllegalArgumentException e) {
                    err.println("chat: " + e.getMessage());
                    continue;
                }
                out.print("\n\n");
                out.flush();
                err.println("chat: " + result.stats().describe());
            }
        }
        return 0;
    }
}
