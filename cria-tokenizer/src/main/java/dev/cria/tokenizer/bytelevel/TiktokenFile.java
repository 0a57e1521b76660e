package dev.cria.tokenizer.bytelevel;

import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.TokenizerFormatException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * tiktoken's BPE file ({@code tiktoken/load.py} {@code load_tiktoken_bpe}), the format of Llama 3's
 * {@code tokenizer.model}: one line per token, {@code base64(token bytes) SPACE rank}, ranks 0..n-1.
 *
 * <p>The file holds no special tokens. Reading a file of exactly 128,000 ranks appends Llama 3's 256 (ids
 * 128000..128255, {@link Llama3SpecialTokens}), as Meta's {@code tokenizer.py} does; other files get none.
 * The pre-tokenizer is always Llama 3's and chunks are looked up whole first, as tiktoken does.
 */
public final class TiktokenFile {

    private TiktokenFile() {
    }

    /** Whether {@code head} (the start of a file) begins with a complete {@code base64 rank} line. */
    public static boolean looksLikeTiktoken(byte[] head) {
        int i = 0;
        while (i < head.length && isBase64(head[i])) {
            i++;
        }
        if (i == 0 || i % 4 != 0 || i >= head.length || head[i] != ' ') {
            return false;
        }
        int digits = ++i;
        while (i < head.length && head[i] >= '0' && head[i] <= '9') {
            i++;
        }
        if (i == digits || i - digits > 10) {
            return false;
        }
        return i < head.length && (head[i] == '\n' || head[i] == '\r');
    }

    private static boolean isBase64(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                || b == '+' || b == '/' || b == '=';
    }

    /** Reads {@code file}; errors name the file and line. */
    public static ByteLevelBpe read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    static ByteLevelBpe parse(byte[] content, String source) throws TokenizerFormatException {
        List<byte[]> byLine = new ArrayList<>();
        List<Integer> ranks = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        Base64.Decoder base64 = Base64.getDecoder();
        int line = 0;
        int pos = 0;
        while (pos < content.length) {
            int end = pos;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            line++;
            int textEnd = end > pos && content[end - 1] == '\r' ? end - 1 : end;
            String text = new String(content, pos, textEnd - pos, StandardCharsets.ISO_8859_1);
            pos = end + 1;
            if (text.isEmpty()) {
                continue;
            }
            int space = text.indexOf(' ');
            if (space <= 0 || space != text.lastIndexOf(' ')) {
                throw lineError(source, line, "expected 'base64 rank', got '" + abbreviate(text) + "'");
            }
            byte[] token;
            try {
                token = base64.decode(text.substring(0, space));
            } catch (IllegalArgumentException e) {
                throw lineError(source, line, "invalid base64 '" + abbreviate(text.substring(0, space)) + "': "
                        + e.getMessage());
            }
            int rank;
            try {
                rank = Integer.parseInt(text.substring(space + 1));
            } catch (NumberFormatException e) {
                throw lineError(source, line, "rank '" + abbreviate(text.substring(space + 1))
                        + "' is not a non-negative integer");
            }
            if (rank < 0 || token.length == 0) {
                throw lineError(source, line, rank < 0 ? "negative rank " + rank : "empty token");
            }
            byLine.add(token);
            ranks.add(rank);
            lineNumbers.add(line);
        }
        int n = byLine.size();
        if (n == 0) {
            throw new TokenizerFormatException(source + ": no 'base64 rank' lines");
        }
        byte[][] byRank = new byte[n][];
        int[] lineOfRank = new int[n];
        for (int i = 0; i < n; i++) {
            int rank = ranks.get(i);
            if (rank >= n) {
                throw lineError(source, lineNumbers.get(i), "rank " + rank + " is not below the number of tokens, "
                        + n + " (ranks must be 0.." + (n - 1) + ")");
            }
            if (byRank[rank] != null) {
                throw lineError(source, lineNumbers.get(i), "rank " + rank + " was already given on line "
                        + lineOfRank[rank]);
            }
            byRank[rank] = byLine.get(i);
            lineOfRank[rank] = lineNumbers.get(i);
        }
        Map<String, Integer> rankOfBytes = new HashMap<>(n * 2);
        for (int rank = 0; rank < n; rank++) {
            Integer other = rankOfBytes.putIfAbsent(new String(byRank[rank], StandardCharsets.ISO_8859_1), rank);
            if (other != null) {
                throw lineError(source, lineOfRank[rank], "token '" + ByteLevelAlphabet.toPiece(byRank[rank])
                        + "' was already given on line " + lineOfRank[other]);
            }
        }
        List<String> specials = n == Llama3SpecialTokens.MERGEABLE_COUNT ? Llama3SpecialTokens.NAMES : List.of();
        byte[][] tokens = new byte[n + specials.size()][];
        TokenType[] types = new TokenType[tokens.length];
        System.arraycopy(byRank, 0, tokens, 0, n);
        java.util.Arrays.fill(types, 0, n, TokenType.NORMAL);
        for (int i = 0; i < specials.size(); i++) {
            tokens[n + i] = specials.get(i).getBytes(StandardCharsets.UTF_8);
            types[n + i] = TokenType.CONTROL;
        }
        return ByteLevelBpe.assemble(source, tokens, types, null, ByteLevelBpe.WholeChunkLookup.ALWAYS,
                Llama3PreTokenizer.INSTANCE);
    }

    /**
     * Writes {@code bpe} in tiktoken format, atomically (a temporary file in the same folder, then a rename).
     *
     * @throws IllegalArgumentException when the file could not be read back as the same tokenizer: ids are not
     *                                  ranks, merged tokens are not ids 0..n-1, the pre-tokenizer or whole-chunk
     *                                  lookup is not tiktoken's, or the added tokens are not exactly what
     *                                  {@link #read} appends (Llama 3's 256 for n = 128,000, else none)
     */
    public static void write(ByteLevelBpe bpe, Path file) throws IOException {
        int n = 0;
        while (n < bpe.vocabSize() && bpe.type(n) == TokenType.NORMAL) {
            n++;
        }
        List<String> added = new ArrayList<>();
        for (int id = n; id < bpe.vocabSize(); id++) {
            if (bpe.type(id) != TokenType.CONTROL) {
                throw new IllegalArgumentException("token " + id + " has type " + bpe.type(id)
                        + "; the tiktoken format needs merged tokens first, then Llama 3's special tokens");
            }
            added.add(bpe.piece(id));
        }
        List<String> expected = n == Llama3SpecialTokens.MERGEABLE_COUNT ? Llama3SpecialTokens.NAMES : List.of();
        if (!bpe.idsAreRanks() || !bpe.looksUpWholeChunks() || !(bpe.preTokenizer() instanceof Llama3PreTokenizer)) {
            throw new IllegalArgumentException("only a tokenizer whose ids are tiktoken ranks, with Llama 3's "
                    + "pre-tokenizer and whole-chunk lookup, can be written in tiktoken format: " + bpe.describe());
        }
        if (!added.equals(expected)) {
            throw new IllegalArgumentException("the tiktoken format stores no special tokens; reading " + n
                    + " ranks back gives " + expected.size() + " special tokens, but this tokenizer has "
                    + added.size() + (added.size() == expected.size() ? " different ones" : ""));
        }
        Path absolute = file.toAbsolutePath();
        Path temp = Files.createTempFile(absolute.getParent(), absolute.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
                Base64.Encoder base64 = Base64.getEncoder();
                for (int rank = 0; rank < n; rank++) {
                    out.write(base64.encode(bpe.tokenBytes(rank)));
                    out.write(' ');
                    out.write(Integer.toString(rank).getBytes(StandardCharsets.US_ASCII));
                    out.write('\n');
                }
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static TokenizerFormatException lineError(String source, int line, String message) {
        return new TokenizerFormatException(source + ":" + line + ": " + message);
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
