package dev.cria.tokenizer.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenShardTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsDocumentsWithBosAndEosAroundEach() throws IOException {
        Path file = dir.resolve("a.tok");
        try (TokenShardWriter w = TokenShardWriter.create(file, 1000, 1, 2)) {
            w.addDocument(new int[] {5, 999, 7});
            w.addDocument(new int[] {});
            w.addDocument(new int[] {9, 9, 42, 3}, 1, 2);
            TokenShardHeader h = w.commit();
            assertEquals(TokenDType.UINT16, h.dtype());
        }
        // Bytes as the documented layout says: 64-byte header, then uint16 little-endian ids.
        byte[] raw = Files.readAllBytes(file);
        assertEquals(64 + 11 * 2, raw.length);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("CRIATOKS", new String(raw, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, b.getInt(8));
        assertEquals(2, b.getInt(12));
        assertEquals(11, b.getLong(16));
        assertEquals(3, b.getLong(24));
        assertEquals(1000, b.getInt(32));
        assertEquals(999, Short.toUnsignedInt(b.getShort(64 + 2 * 2)));

        try (TokenShard shard = TokenShard.open(file)) {
            assertEquals(11, shard.tokenCount());
            assertEquals(3, shard.header().documentCount());
            int[] ids = new int[11];
            shard.read(0, ids, 0, 11);
            assertArrayEquals(new int[] {1, 5, 999, 7, 2, 1, 2, 1, 9, 42, 2}, ids);
            int[] middle = new int[4];
            shard.read(3, middle, 1, 3);
            assertArrayEquals(new int[] {0, 7, 2, 1}, middle);
            assertEquals(999, shard.token(2));
            shard.verifyIds();
        }
    }

    @Test
    void storesIdsAbove65535AsUint32() throws IOException {
        Path file = dir.resolve("big.tok");
        try (TokenShardWriter w = TokenShardWriter.create(file, 128_256, -1, 128_001)) {
            w.addDocument(new int[] {0, 65_536, 128_255});
            assertEquals(TokenDType.UINT32, w.commit().dtype());
        }
        try (TokenShard shard = TokenShard.open(file)) {
            int[] ids = new int[4];
            shard.read(0, ids, 0, 4);
            assertArrayEquals(new int[] {0, 65_536, 128_255, 128_001}, ids);
        }
    }

    @Test
    void leavesNoFileWhenNotCommitted() throws IOException {
        Path file = dir.resolve("c.tok");
        try (TokenShardWriter w = TokenShardWriter.create(file, 100, 1, 2)) {
            w.addDocument(new int[] {3, 4});
        }
        assertFalse(Files.exists(file));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void refusesAnIdOutsideTheVocabularyNamingTheDocument() throws IOException {
        Path file = dir.resolve("d.tok");
        try (TokenShardWriter w = TokenShardWriter.create(file, 100, 1, 2)) {
            w.addDocument(new int[] {3});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.addDocument(new int[] {4, 100}));
            assertTrue(e.getMessage().contains("document 1, token 1: id 100"), e.getMessage());
        }
    }

    @Test
    void wrongMagicIsAnErrorNamingTheFileAndOffset() throws IOException {
        Path file = write("bad-magic.tok", b -> b.put(0, (byte) 'X'));
        TokenShardFormatException e = assertThrows(TokenShardFormatException.class, () -> TokenShard.open(file));
        assertTrue(e.getMessage().startsWith(file + ": byte 0: bad magic \"XRIATOKS\""), e.getMessage());
    }

    @Test
    void badDtypeIsAnErrorAtItsOffset() throws IOException {
        Path file = write("bad-dtype.tok", b -> b.putInt(12, 3));
        TokenShardFormatException e = assertThrows(TokenShardFormatException.class, () -> TokenShard.open(file));
        assertTrue(e.getMessage().startsWith(file + ": byte 12: bad dtype 3"), e.getMessage());
    }

    @Test
    void unknownVersionIsAnError() throws IOException {
        Path file = write("bad-version.tok", b -> b.putInt(8, 7));
        TokenShardFormatException e = assertThrows(TokenShardFormatException.class, () -> TokenShard.open(file));
        assertTrue(e.getMessage().contains("byte 8: unsupported version 7"), e.getMessage());
    }

    @Test
    void truncatedTokensAreAnErrorSayingHowManyBytesWereExpected() throws IOException {
        Path good = write("good.tok", b -> { });
        byte[] raw = Files.readAllBytes(good);
        Path file = dir.resolve("truncated.tok");
        Files.write(file, Arrays.copyOf(raw, raw.length - 3));
        TokenShardFormatException e = assertThrows(TokenShardFormatException.class, () -> TokenShard.open(file));
        assertTrue(e.getMessage().contains("truncated: the header says 5 UINT16 tokens, 74 bytes in all, the file has 71"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsAnError() throws IOException {
        Path file = dir.resolve("short.tok");
        Files.write(file, new byte[] {'C', 'R', 'I'});
        TokenShardFormatException e = assertThrows(TokenShardFormatException.class, () -> TokenShard.open(file));
        assertTrue(e.getMessage().contains("byte 3: truncated header"), e.getMessage());
    }

    @Test
    void verifyIdsNamesTheOffsetOfAnIdOutsideTheVocabulary() throws IOException {
        Path file = write("bad-id.tok", b -> b.putShort(64 + 2 * 3, (short) 500));
        try (TokenShard shard = TokenShard.open(file)) {
            TokenShardFormatException e = assertThrows(TokenShardFormatException.class, shard::verifyIds);
            assertTrue(e.getMessage().startsWith(file + ": byte 70: token 3 is id 500, outside the vocabulary of 100"), e.getMessage());
        }
    }

    private Path write(String name, java.util.function.Consumer<ByteBuffer> damage) throws IOException {
        Path file = dir.resolve(name);
        try (TokenShardWriter w = TokenShardWriter.create(file, 100, 1, 2)) {
            w.addDocument(new int[] {10, 11, 12});
            w.commit();
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        damage.accept(b);
        Files.write(file, b.array());
        return file;
    }
}
