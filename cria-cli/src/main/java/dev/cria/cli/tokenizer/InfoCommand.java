package dev.cria.cli.tokenizer;

import dev.cria.cli.Main;
import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code cria tokenizer info}: what a tokenizer file holds, as {@code key: value} lines.
 *
 * <pre>
 * file: tokenizer.model
 * tokenizer: (the tokenizer's own one-line description)
 * vocab_size: 32000
 * bos_id: 1 &lt;s&gt;
 * eos_id: 2 &lt;/s&gt;
 * unk_id: 0 &lt;unk&gt;
 * token_types: NORMAL=31741 UNKNOWN=1 CONTROL=2 BYTE=256
 * </pre>
 * An id the model does not define is {@code -1}.
 */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = "Show a tokenizer file's kind, vocabulary size, special ids and token types.")
public final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Override
    public Integer call() throws Exception {
        Tokenizer tokenizer = model.load();
        Map<TokenType, Integer> types = new EnumMap<>(TokenType.class);
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            types.merge(tokenizer.type(id), 1, Integer::sum);
        }
        StringJoiner typeCounts = new StringJoiner(" ");
        types.forEach((type, count) -> typeCounts.add(type + "=" + count));

        PrintWriter out = new PrintWriter(new OutputStreamWriter(Main.streams(spec).out(), StandardCharsets.UTF_8));
        out.print("file: " + model.model + "\n");
        out.print("tokenizer: " + tokenizer.describe() + "\n");
        out.print("vocab_size: " + tokenizer.vocabSize() + "\n");
        out.print("bos_id: " + special(tokenizer, tokenizer.bosId()) + "\n");
        out.print("eos_id: " + special(tokenizer, tokenizer.eosId()) + "\n");
        out.print("unk_id: " + special(tokenizer, tokenizer.unkId()) + "\n");
        out.print("token_types: " + typeCounts + "\n");
        out.flush();
        return 0;
    }

    private static String special(Tokenizer tokenizer, int id) {
        return id < 0 ? "-1" : id + " " + tokenizer.piece(id);
    }
}
