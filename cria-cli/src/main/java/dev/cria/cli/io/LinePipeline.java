package dev.cria.cli.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a {@link LineTransform} over every line of an input, on {@code threads} threads, writing the
 * outputs in input order.
 *
 * <p>Lines are read in batches of about {@value #BATCH_BYTES} bytes; each batch is one task. At most
 * {@code 2 × threads} batches are in flight, so memory stays bounded whatever the input's size. Output is
 * flushed only when the input pauses (see {@link LineBatchReader}) and at the end, never per line.
 */
public final class LinePipeline {

    /** Big enough that a task outweighs its scheduling, small enough that a short input still spreads over threads. */
    static final int BATCH_BYTES = 64 * 1024;

    private final int threads;
    private final int batchBytes;

    public LinePipeline(int threads) {
        this(threads, BATCH_BYTES);
    }

    LinePipeline(int threads, int batchBytes) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.threads = threads;
        this.batchBytes = batchBytes;
    }

    /**
     * Transforms every line of {@code in} into {@code out}. A {@link RuntimeException} thrown by the
     * transform stops the run and is rethrown as is; the outputs of the batches before the failing one
     * are written by then, none after it.
     */
    public void run(InputStream in, OutputStream out, LineTransform transform) throws IOException {
        LineBatchReader reader = new LineBatchReader(in, batchBytes);
        if (threads == 1) {
            for (LineBatch batch; (batch = reader.next()) != null; ) {
                transform(batch, transform).writeTo(out);
                if (batch.inputIdle()) {
                    out.flush();
                }
            }
            out.flush();
            return;
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().factory())) {
            ArrayDeque<Future<OutputBuffer>> inFlight = new ArrayDeque<>();
            try {
                for (LineBatch batch; (batch = reader.next()) != null; ) {
                    LineBatch task = batch;
                    inFlight.add(pool.submit(() -> transform(task, transform)));
                    if (batch.inputIdle()) {
                        while (!inFlight.isEmpty()) {
                            await(inFlight.poll()).writeTo(out);
                        }
                        out.flush();
                    } else if (inFlight.size() >= 2 * threads) {
                        await(inFlight.poll()).writeTo(out);
                    }
                }
                while (!inFlight.isEmpty()) {
                    await(inFlight.poll()).writeTo(out);
                }
                out.flush();
            } finally {
                inFlight.forEach(f -> f.cancel(true));
            }
        }
    }

    private static OutputBuffer transform(LineBatch batch, LineTransform transform) {
        // Output is usually shorter than its input (ids) or about as long (pieces, text).
        OutputBuffer buffer = new OutputBuffer(batch.bytes().length);
        byte[] bytes = batch.bytes();
        for (int i = 0; i < batch.count(); i++) {
            transform.apply(bytes, batch.start(i), batch.end(i), batch.firstLine() + i, buffer);
        }
        return buffer;
    }

    private static OutputBuffer await(Future<OutputBuffer> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IOException(e.getCause());
            }
        }
    }
}
