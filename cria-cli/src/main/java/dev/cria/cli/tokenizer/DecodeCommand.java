package dev.cria.cli.tokenizer;

import dev.cria.cli.CliException;
import dev.cria.cli.Main;
import dev.cria.cli.io.LineTransform;
import dev.cria.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cria tokenizer decode}: each input line of token ids becomes one line of text.
 *
 * <p>Ids are decimal, separated by spaces or tabs (a {@code \r} before the newline is ignored). With
 * {@code --jsonl} a line may also be a JSON array of ids, as {@code encode --jsonl} prints, and each
 * output line is a JSON string. Without it the decoded bytes are written as they are: text, except
 * that a byte-level model may decode to bytes that are not UTF-8.
 */
@Command(
        name = "decode",
        mixinStandardHelpOptions = true,
        description = "Decode lines of token ids to text, one output line per input line (spm_decode's format).")
public final class DecodeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Mixin
    LineIoOptions io;

    @Option(names = "--jsonl", description = "Each output line is a JSON string (invalid UTF-8 shown as U+FFFD); "
            + "input lines may be JSON arrays of ids.")
    boolean jsonl;

    @Override
    public Integer call() throws Exception {
        Tokenizer tokenizer = model.load();
        io.run(Main.streams(spec), transform(tokenizer, io.inputName()));
        return 0;
    }

    private LineTransform transform(Tokenizer tokenizer, String source) {
        int vocabSize = tokenizer.vocabSize();
        return (bytes, start, end, line, out) -> {
            int[] ids = jsonl && firstNonBlank(bytes, start, end) == '['
                    ? JsonLines.idArray(bytes, start, end, source, line)
                    : parseIds(bytes, start, end, source, line);
            for (int id : ids) {
                if (id < 0 || id >= vocabSize) {
                    throw new CliException(JsonLines.where(source, line) + "token id " + id
                            + " is outside the vocabulary (ids 0.." + (vocabSize - 1) + ")");
                }
            }
            if (jsonl) {
                out.write(JsonLines.quote(tokenizer.decode(ids)));
            } else {
                out.write(tokenizer.decodeToBytes(ids));
            }
            out.write((byte) '\n');
        };
    }

    /** Decimal ids separated by runs of spaces, tabs or carriage returns. */
    static int[] parseIds(byte[] bytes, int start, int end, String source, long line) {
        int[] ids = new int[Math.max(4, (end - start) / 4)];
        int count = 0;
        int i = start;
        while (i < end) {
            byte b = bytes[i];
            if (b == ' ' || b == '\t' || b == '\r') {
                i++;
                continue;
            }
            if (b < '0' || b > '9') {
                throw new CliException(JsonLines.where(source, line) + "column " + (i - start + 1)
                        + ": expected a token id (decimal digits), found " + describeByte(b));
            }
            long value = 0;
            int first = i;
            while (i < end && bytes[i] >= '0' && bytes[i] <= '9') {
                value = value * 10 + (bytes[i] - '0');
                if (value > Integer.MAX_VALUE) {
                    throw new CliException(JsonLines.where(source, line) + "column " + (first - start + 1)
                            + ": token id too large for an int");
                }
                i++;
            }
            if (i < end && bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r') {
                throw new CliException(JsonLines.where(source, line) + "column " + (i - start + 1)
                        + ": expected a space after a token id, found " + describeByte(bytes[i]));
            }
            if (count == ids.length) {
                ids = Arrays.copyOf(ids, count * 2);
            }
            ids[count++] = (int) value;
        }
        return Arrays.copyOf(ids, count);
    }

    private static int firstNonBlank(byte[] bytes, int start, int end) {
        for (int i = start; i < end; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r') {
                return bytes[i];
            }
        }
        return -1;
    }

    private static String describeByte(byte b) {
        return b >= 0x21 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02X", b & 0xff);
    }
}
