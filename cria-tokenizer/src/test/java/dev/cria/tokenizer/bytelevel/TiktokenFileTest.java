package dev.cria.tokenizer.bytelevel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.tokenizer.TokenizerFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TiktokenFileTest {

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path path = dir.resolve("tokenizer.model");
        Files.writeString(path, content, StandardCharsets.US_ASCII);
        return path;
    }

    private TokenizerFormatException readError(String content) throws IOException {
        Path path = file(content);
        return assertThrows(TokenizerFormatException.class, () -> ByteLevelBpe.fromTiktoken(path));
    }

    @Test
    void readsRanksAsIdsAndAddsNoSpecialTokensToASmallFile() throws IOException {
        ByteLevelBpe bpe = ByteLevelBpe.fromTiktoken(file(SmallVocabularies.tiktoken("ab", "bc", "abc")));
        assertEquals(259, bpe.vocabSize());
        assertTrue(bpe.idsAreRanks());
        assertArrayEquals(new int[] {258}, bpe.encode("abc"));
        assertArrayEquals(new int[] {256, 256, 'a'}, bpe.encode("ababa"));
        assertEquals(-1, bpe.bosId());
        assertEquals(0, bpe.specialTokens().size());
    }

    @Test
    void acceptsRanksInAnyLineOrderAndBlankLines() throws IOException {
        List<String> lines = new java.util.ArrayList<>(SmallVocabularies.tiktoken("ab").lines().toList());
        java.util.Collections.reverse(lines);
        ByteLevelBpe bpe = ByteLevelBpe.fromTiktoken(file(String.join("\r\n\n", lines) + "\n\n"));
        assertArrayEquals(new int[] {256, 'c'}, bpe.encode("abc"));
    }

    @Test
    void namesFileAndLineOfAMalformedLine() throws IOException {
        String text = SmallVocabularies.tiktoken().replace("Ag== 2\n", "Ag== two\n");
        TokenizerFormatException e = readError(text);
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer.model") + ":3:"), e.getMessage());
        assertTrue(e.getMessage().contains("'two'"), e.getMessage());

        e = readError(SmallVocabularies.tiktoken().replace("Ag== 2\n", "Ag==2\n"));
        assertTrue(e.getMessage().contains(":3: expected 'base64 rank'"), e.getMessage());

        e = readError(SmallVocabularies.tiktoken().replace("Ag== 2\n", "A*g= 2\n"));
        assertTrue(e.getMessage().contains(":3: invalid base64"), e.getMessage());
    }

    @Test
    void namesBothLinesOfARepeatedRankOrToken() throws IOException {
        TokenizerFormatException e = readError(SmallVocabularies.tiktoken("ab") + "YWI= 1\n");
        assertTrue(e.getMessage().contains(":258: rank 1 was already given on line 2"), e.getMessage());

        e = readError(SmallVocabularies.tiktoken("ab", "ab"));
        assertTrue(e.getMessage().contains(":258: token 'ab' was already given on line 257"), e.getMessage());
    }

    @Test
    void refusesRanksThatLeaveAGap() throws IOException {
        TokenizerFormatException e = readError(SmallVocabularies.tiktoken().replace("Ag== 2\n", "Ag== 900\n"));
        assertTrue(e.getMessage().contains(":3: rank 900 is not below the number of tokens, 256"), e.getMessage());
    }

    @Test
    void refusesAFileWithoutATokenForEveryByte() throws IOException {
        String text = SmallVocabularies.tiktoken().replace("/w== 255\n", "//8= 255\n");
        TokenizerFormatException e = readError(text);
        assertTrue(e.getMessage().contains("byte 0xFF has no token"), e.getMessage());
    }

    @Test
    void recognisesOnlyTiktokenHeads() {
        assertTrue(ByteLevelBpe.looksLikeTiktoken("IQ== 0\nIg== 1\n".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(ByteLevelBpe.looksLikeTiktoken("IQ== 0\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(ByteLevelBpe.looksLikeTiktoken("IQ== 0".getBytes(StandardCharsets.US_ASCII)), "no full line");
        assertFalse(ByteLevelBpe.looksLikeTiktoken("{\"version\": \"1.0\"}".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(ByteLevelBpe.looksLikeTiktoken(new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0}));
        assertFalse(ByteLevelBpe.looksLikeTiktoken(new byte[] {0x0A, 0x0B, 0x0A, 0x05, '<', 'u', 'n', 'k', '>'}));
        assertFalse(ByteLevelBpe.looksLikeTiktoken(new byte[0]));
        assertFalse(ByteLevelBpe.looksLikeTiktoken("abc 12\n".getBytes(StandardCharsets.US_ASCII)), "not base64 length");
    }

    @Test
    void writesWhatItReadsAndLeavesNoTemporaryFile() throws IOException {
        ByteLevelBpe bpe = ByteLevelBpe.fromTiktoken(file(SmallVocabularies.tiktoken("ab", "bc", "abc")));
        Path copy = dir.resolve("copy.tiktoken");
        TiktokenFile.write(bpe, copy);
        assertEquals(SmallVocabularies.tiktoken("ab", "bc", "abc"), Files.readString(copy, StandardCharsets.US_ASCII));
        try (var listing = Files.list(dir)) {
            assertEquals(2, listing.count());
        }
    }

    @Test
    void refusesToWriteATokenizerWhoseIdsAreNotRanks() throws TokenizerFormatException {
        ByteLevelBpe bpe = ByteLevelBpe.fromTokenizerJson(SmallVocabularies.tokenizerJson(
                new String[] {"ab", "bc", "abc"}, new String[] {"b c", "a b", "ab c"}, false), "small.json");
        Path target = dir.resolve("out.tiktoken");
        var e = assertThrows(IllegalArgumentException.class, () -> TiktokenFile.write(bpe, target));
        assertTrue(e.getMessage().contains("ranks"), e.getMessage());
        assertFalse(Files.exists(target));
    }
}
