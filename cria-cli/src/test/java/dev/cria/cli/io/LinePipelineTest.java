package dev.cria.cli.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LinePipelineTest {

    /** Writes "lineNumber:length:bytes-reversed\n" for each line: every byte and boundary shows in the output. */
    private static final LineTransform REVERSE = (bytes, start, end, line, out) -> {
        out.writeInt((int) line);
        out.write((byte) ':');
        out.writeInt(end - start);
        out.write((byte) ':');
        for (int i = end - 1; i >= start; i--) {
            out.write(bytes[i]);
        }
        out.write((byte) '\n');
    };

    /** The same, computed the plain way: split on \n only, last line kept when unterminated (std::getline). */
    private static byte[] expected(byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int line = 1;
        int start = 0;
        for (int i = 0; i <= input.length; i++) {
            boolean atEnd = i == input.length;
            if (atEnd && start == input.length) {
                break;
            }
            if (atEnd || input[i] == '\n') {
                out.writeBytes((line++ + ":" + (i - start) + ":").getBytes(StandardCharsets.US_ASCII));
                for (int j = i - 1; j >= start; j--) {
                    out.write(input[j]);
                }
                out.write('\n');
                start = i + 1;
            }
        }
        return out.toByteArray();
    }

    private static byte[] run(byte[] input, int threads, int batchBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LinePipeline(threads, batchBytes).run(new ByteArrayInputStream(input), out, REVERSE);
        return out.toByteArray();
    }

    @Test
    void splitsOnNewlineOnlyKeepingCarriageReturnsEmptyLinesAndAnUnterminatedLastLine() throws IOException {
        byte[] input = "a\r\n\n\nb c\r\n\u00e9\u0000last".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(expected(input), run(input, 1, 1 << 16));
        byte[] ascii = "a\r\n\n\nb c\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("1:2:\ra\n2:0:\n3:0:\n4:4:\rc b\n", new String(run(ascii, 1, 4), StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[0], run(new byte[0], 3, 8));
        assertArrayEquals("1:0:\n".getBytes(StandardCharsets.US_ASCII), run(new byte[] {'\n'}, 2, 8));
    }

    @Test
    void keepsInputOrderForAnyThreadCountAndBatchSize() throws IOException {
        Random random = new Random(42);
        byte[] input = new byte[300_000];
        for (int i = 0; i < input.length; i++) {
            // Mostly short lines, some long ones, all byte values including invalid UTF-8.
            input[i] = random.nextInt(40) == 0 ? (byte) '\n' : (byte) random.nextInt(256);
        }
        byte[] expected = expected(input);
        for (int threads : new int[] {1, 2, 7}) {
            for (int batch : new int[] {1, 7, 1000, 1 << 16, 1 << 20}) {
                assertArrayEquals(expected, run(input, threads, batch), "threads " + threads + ", batch " + batch);
            }
        }
    }

    @Test
    void growsTheBufferForALineLongerThanABatch() throws IOException {
        byte[] input = new byte[100_000];
        Arrays.fill(input, (byte) 'x');
        input[10] = '\n';
        assertArrayEquals(expected(input), run(input, 2, 64));
    }

    @Test
    void answersEachLineBeforeTheInputEndsWhenTheFeederWaits() throws Exception {
        // Own threads: the common pool may have a single thread on a small machine.
        ExecutorService threads = Executors.newCachedThreadPool();
        PipedOutputStream feeder = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(feeder, 1 << 16);
        PipedInputStream answers = new PipedInputStream(1 << 16);
        PipedOutputStream out = new PipedOutputStream(answers);
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
            try (OutputStream o = out; InputStream i = in) {
                new LinePipeline(2).run(i, o, REVERSE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, threads);
        for (int line = 1; line <= 3; line++) {
            feeder.write(("ab" + line + "\n").getBytes(StandardCharsets.US_ASCII));
            feeder.flush();
            String expected = line + ":3:" + line + "ba\n";
            byte[] got = CompletableFuture.supplyAsync(() -> {
                try {
                    return answers.readNBytes(expected.length());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, threads).get(10, TimeUnit.SECONDS);
            assertEquals(expected, new String(got, StandardCharsets.US_ASCII));
        }
        feeder.close();
        running.get(10, TimeUnit.SECONDS);
        threads.shutdown();
    }

    @Test
    void rethrowsTheTransformsExceptionAfterWritingEarlierBatches() throws IOException {
        IllegalArgumentException failure = new IllegalArgumentException("bad line 50");
        LineTransform failsAt50 = (bytes, start, end, line, out) -> {
            if (line == 50) {
                throw failure;
            }
            REVERSE.apply(bytes, start, end, line, out);
        };
        byte[] input = "x\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
        for (int threads : new int[] {1, 4}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            LinePipeline pipeline = new LinePipeline(threads, 20);
            assertSame(failure, assertThrows(IllegalArgumentException.class,
                    () -> pipeline.run(new ByteArrayInputStream(input), out, failsAt50)));
            String written = out.toString(StandardCharsets.US_ASCII);
            // Batches of 20 bytes hold 10 lines: lines 1..40 precede the failing batch.
            assertEquals(expected("x\n".repeat(40).getBytes(StandardCharsets.US_ASCII)).length, written.length(), written);
        }
    }
}
