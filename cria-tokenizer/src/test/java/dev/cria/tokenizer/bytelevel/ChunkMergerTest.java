package dev.cria.tokenizer.bytelevel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.cria.tokenizer.TokenType;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkMergerTest {

    /** 256 byte tokens (id = byte value) followed by {@code extra}, ids as tiktoken ranks. */
    private static ChunkMerger rankedMerger(String... extra) {
        byte[][] tokens = new byte[256 + extra.length][];
        for (int b = 0; b < 256; b++) {
            tokens[b] = new byte[] {(byte) b};
        }
        for (int i = 0; i < extra.length; i++) {
            tokens[256 + i] = extra[i].getBytes(StandardCharsets.UTF_8);
        }
        boolean[] all = new boolean[tokens.length];
        java.util.Arrays.fill(all, true);
        TokenBytesIndex index = new TokenBytesIndex(tokens, all);
        int[] byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            byteIds[b] = b;
        }
        return new ChunkMerger(MergeRules.fromRanks(tokens, all, index).table(), byteIds);
    }

    private static int[][] bothPaths(ChunkMerger merger, String chunk) {
        byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
        IdBuffer scan = new IdBuffer(8);
        IdBuffer heap = new IdBuffer(8);
        merger.mergeByScan(bytes, 0, bytes.length, scan);
        merger.mergeByHeap(bytes, 0, bytes.length, heap);
        return new int[][] {scan.toArray(), heap.toArray()};
    }

    @Test
    void mergesAnyAdjacentPairWhoseConcatenationIsATokenLowestRankFirst() {
        // ranks: ab=256 < bc=257 < abc=258: "ab" forms first, then "ab"+"c" is the token "abc".
        ChunkMerger merger = rankedMerger("ab", "bc", "abc");
        for (int[] ids : bothPaths(merger, "abc")) {
            assertArrayEquals(new int[] {258}, ids);
        }
        // bc=256 first; "a"+"bc" concatenates to "abc" too, which any-concatenation merging accepts.
        merger = rankedMerger("bc", "ab", "abc");
        for (int[] ids : bothPaths(merger, "abc")) {
            assertArrayEquals(new int[] {258}, ids);
        }
    }

    @Test
    void breaksRankTiesTowardsTheLeft() {
        ChunkMerger merger = rankedMerger("aa");
        for (int[] ids : bothPaths(merger, "aaa")) {
            assertArrayEquals(new int[] {256, 'a'}, ids);
        }
        for (int[] ids : bothPaths(merger, "aaaaa")) {
            assertArrayEquals(new int[] {256, 256, 'a'}, ids);
        }
    }

    @Test
    void heapAndScanAgreeOnRandomChunksWithLlama3Ranks() {
        ByteLevelBpe llama3 = Llama3Fixture.tokenizer();
        int n = 128_000;
        byte[][] tokens = new byte[n][];
        boolean[] mergeable = new boolean[n];
        for (int id = 0; id < n; id++) {
            tokens[id] = llama3.tokenBytes(id);
            mergeable[id] = llama3.type(id) == TokenType.NORMAL;
        }
        TokenBytesIndex index = new TokenBytesIndex(tokens, mergeable);
        int[] byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            byteIds[b] = index.get(new byte[] {(byte) b});
        }
        ChunkMerger merger = new ChunkMerger(MergeRules.fromRanks(tokens, mergeable, index).table(), byteIds);
        Random random = new Random(3);
        String[] parts = {"the", " of", "ing", "a", "e", "tion", "  ", "\n", "0", "12", "!", "é", "中", "🦙", "ab", "x"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder chunk = new StringBuilder();
            int length = 1 + random.nextInt(30);
            for (int k = 0; k < length; k++) {
                chunk.append(parts[random.nextInt(parts.length)]);
            }
            byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
            if (bytes.length > ChunkMerger.SCAN_LIMIT) {
                continue;
            }
            int[][] ids = bothPaths(merger, chunk.toString());
            assertArrayEquals(ids[0], ids[1], () -> "chunk: " + chunk);
        }
    }
}
