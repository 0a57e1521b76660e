package dev.cria.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.tokenizer.shard.TokenShardWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenDataTest {

    @TempDir
    Path dir;

    /** A shard whose token at position i is i mod 1000 + base, one document, no separators: positions are readable from ids. */
    private Path counting(String name, int tokens, int base) throws IOException {
        Path file = dir.resolve(name);
        int[] ids = new int[tokens];
        for (int i = 0; i < tokens; i++) {
            ids[i] = base + i % 1000;
        }
        try (TokenShardWriter w = TokenShardWriter.create(file, 5000, -1, -1)) {
            w.addDocument(ids);
            w.commit();
        }
        return file;
    }

    @Test
    void heldOutFractionIsTheTailOfEachShardAndNoTrainingWindowReachesIt() throws IOException {
        Path a = counting("a.tok", 1000, 0);
        try (TokenDataset data = TokenDataset.open(List.of(a), List.of(), 0.1, 9)) {
            assertEquals(900, data.trainingTokens());
            assertEquals(100, data.validationTokens());
            WindowSampler sampler = new WindowSampler(data.training(), 8, 42);
            assertEquals(900 - 8, sampler.positions());
            int[] in = new int[8];
            int[] out = new int[8];
            for (long i = 0; i < 2000; i++) {
                sampler.window(i, in, out, 0);
                assertTrue(out[7] < 900, "window " + i + " reaches token " + out[7]);
                for (int t = 0; t < 8; t++) {
                    assertEquals(in[t] + 1, out[t], "targets are the inputs shifted by one");
                }
            }
            ValidationWindows val = new ValidationWindows(data.validation(), 8, 100);
            // 100 tokens → windows at 900, 908, …, 988 (the last ends at 996 < 1000).
            assertEquals(12, val.count());
            val.window(0, in, out, 0);
            assertEquals(900, in[0]);
            val.window(11, in, out, 0);
            assertEquals(988, in[0]);
        }
    }

    @Test
    void windowIDependsOnlyOnTheSeedAndI() throws IOException {
        Path a = counting("a.tok", 3000, 0);
        Path b = counting("b.tok", 2000, 1000);
        try (TokenDataset data = TokenDataset.open(List.of(a, b), List.of(), 0, 17)) {
            WindowSampler s1 = new WindowSampler(data.training(), 16, 7);
            WindowSampler s2 = new WindowSampler(data.training(), 16, 7);
            WindowSampler other = new WindowSampler(data.training(), 16, 8);
            int[] batch = new int[4 * 16];
            int[] targets = new int[4 * 16];
            for (int row = 0; row < 4; row++) {
                s1.window(100 + row, batch, targets, row);
            }
            int[] in = new int[16];
            int[] out = new int[16];
            s2.window(102, in, out, 0);
            assertArrayEquals(in, Arrays.copyOfRange(batch, 32, 48));
            other.window(102, out, new int[16], 0);
            assertFalse(Arrays.equals(in, out), "another seed draws other windows");
        }
    }

    @Test
    void drawsStartsUniformlyOverAllShards() throws IOException {
        Path a = counting("a.tok", 3000, 0);
        Path b = counting("b.tok", 1000, 1000);
        try (TokenDataset data = TokenDataset.open(List.of(a, b), List.of(), 0, 5)) {
            WindowSampler s = new WindowSampler(data.training(), 4, 1);
            int[] in = new int[4];
            int[] out = new int[4];
            int fromB = 0;
            int n = 20_000;
            for (long i = 0; i < n; i++) {
                s.window(i, in, out, 0);
                fromB += in[0] >= 1000 ? 1 : 0;
            }
            // b holds 996 of 3992 starts: about 25 %, ± 4 standard deviations (0.3 %·4).
            assertEquals(996.0 / 3992, (double) fromB / n, 0.013);
        }
    }

    @Test
    void heldOutShardsFormTheValidationSplit() throws IOException {
        Path a = counting("a.tok", 500, 0);
        Path v = counting("v.tok", 200, 2000);
        try (TokenDataset data = TokenDataset.open(List.of(a), List.of(v), 0.5, 9)) {
            assertEquals(500, data.trainingTokens());
            assertEquals(200, data.validationTokens());
            ValidationWindows val = new ValidationWindows(data.validation(), 8, 3);
            assertEquals(3, val.count());
            int[] in = new int[8];
            val.window(0, in, new int[8], 0);
            assertEquals(2000, in[0]);
        }
    }

    @Test
    void refusesShardsOfDifferentVocabularies() throws IOException {
        Path a = counting("a.tok", 100, 0);
        Path other = dir.resolve("other.tok");
        try (TokenShardWriter w = TokenShardWriter.create(other, 300, -1, -1)) {
            w.addDocument(new int[] {1, 2, 3});
            w.commit();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenDataset.open(List.of(a, other), List.of(), 0, 5));
        assertTrue(e.getMessage().contains("vocabulary size 300 differs from 5000"), e.getMessage());
    }

    @Test
    void refusesDataWithoutOneWholeWindow() throws IOException {
        Path a = counting("a.tok", 100, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenDataset.open(List.of(a), List.of(), 0, 129));
        assertTrue(e.getMessage().contains("training split (100 tokens in 1 shard(s)) holds no window of 129 tokens"), e.getMessage());
    }
}
