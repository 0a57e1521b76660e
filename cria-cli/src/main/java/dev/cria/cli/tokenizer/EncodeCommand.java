package dev.cria.cli.tokenizer;

import dev.cria.cli.CliException;
import dev.cria.cli.Main;
import dev.cria.cli.io.LineTransform;
import dev.cria.cli.io.OutputBuffer;
import dev.cria.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria tokenizer encode}: one output line per input line, as {@code spm_encode} prints them.
 *
 * <p>Input is bytes, split on {@code \n} only; the tokenizer sees each line's bytes untouched
 * ({@code \r} and invalid UTF-8 included). Output: ids (or pieces) separated by single spaces, no
 * leading or trailing space, an empty line for an empty input line.
 */
@Command(
        name = "encode",
        mixinStandardHelpOptions = true,
        description = "Encode text to token ids, one output line per input line (spm_encode's format).")
public final class EncodeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Mixin
    LineIoOptions io;

    @Option(names = "--pieces",
            description = "Print pieces (SentencePiece's ▁ spelling, or Llama 3's byte-level strings) instead of ids.")
    boolean pieces;

    @Option(names = "--bos", description = "Start every line with the model's beginning-of-sequence token.")
    boolean bos;

    @Option(names = "--eos", description = "End every line with the model's end-of-sequence token.")
    boolean eos;

    @Option(names = "--jsonl", description = "Each input line is a JSON string (any text, newlines included); "
            + "each output line a JSON array of ids (of strings with --pieces).")
    boolean jsonl;

    @Override
    public Integer call() throws Exception {
        Tokenizer tokenizer = model.load();
        int bosId = bos ? special(tokenizer.bosId(), "--bos", "beginning-of-sequence") : -1;
        int eosId = eos ? special(tokenizer.eosId(), "--eos", "end-of-sequence") : -1;
        io.run(Main.streams(spec), transform(tokenizer, bosId, eosId, io.inputName()));
        return 0;
    }

    private int special(int id, String option, String what) {
        if (id < 0) {
            throw new CliException(option + ": the model " + model.model + " defines no " + what + " token");
        }
        return id;
    }

    private LineTransform transform(Tokenizer tokenizer, int bosId, int eosId, String source) {
        byte[][] pieceBytes = pieces ? pieceBytes(tokenizer, jsonl) : null;
        return (bytes, start, end, line, out) -> {
            int[] ids = jsonl
                    ? tokenizer.encode(JsonLines.stringAsUtf8(bytes, start, end, source, line))
                    : tokenizer.encode(bytes, start, end - start);
            writeTokens(ids, bosId, eosId, pieceBytes, jsonl, out);
            out.write((byte) '\n');
        };
    }

    /**
     * Writes the tokens separated by {@code ' '} (plain) or {@code ','} inside brackets (JSON); each
     * token is its id in decimal or, when {@code pieceBytes} is given, its pre-rendered piece.
     */
    private static void writeTokens(int[] ids, int bosId, int eosId, byte[][] pieceBytes, boolean json,
            OutputBuffer out) {
        byte separator = json ? (byte) ',' : (byte) ' ';
        if (json) {
            out.write((byte) '[');
        }
        boolean first = true;
        if (bosId >= 0) {
            writeToken(bosId, pieceBytes, out);
            first = false;
        }
        for (int id : ids) {
            if (!first) {
                out.write(separator);
            }
            writeToken(id, pieceBytes, out);
            first = false;
        }
        if (eosId >= 0) {
            if (!first) {
                out.write(separator);
            }
            writeToken(eosId, pieceBytes, out);
        }
        if (json) {
            out.write((byte) ']');
        }
    }

    private static void writeToken(int id, byte[][] pieceBytes, OutputBuffer out) {
        if (pieceBytes == null) {
            out.writeInt(id);
        } else {
            out.write(pieceBytes[id]);
        }
    }

    /** Every piece rendered once up front (UTF-8, or a JSON string literal), so encoding only copies bytes. */
    private static byte[][] pieceBytes(Tokenizer tokenizer, boolean json) {
        byte[][] rendered = new byte[tokenizer.vocabSize()][];
        for (int id = 0; id < rendered.length; id++) {
            String piece = tokenizer.piece(id);
            rendered[id] = json ? JsonLines.quote(piece) : piece.getBytes(StandardCharsets.UTF_8);
        }
        return rendered;
    }
}
