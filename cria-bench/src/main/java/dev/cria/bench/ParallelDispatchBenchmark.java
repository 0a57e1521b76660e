package dev.cria.bench;

import dev.cria.tensor.Parallel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one parallel-for over 2 chunks on the machine's 2 cores: Cria's {@link Parallel} against the JDK's
 * usual ways (the common fork-join pool through a parallel stream or a forked task, and a fixed executor with a
 * latch). Each chunk busy-waits {@code chunkNanos}: with 0 the caller may well run both chunks before a worker
 * notices (that is the floor of a call); with 2000 both threads must take part, so the time above 2 µs is what the
 * dispatch costs when it actually spreads work. {@code backToBack} calls keep the workers spinning, as during
 * decoding; the {@code afterIdle} ones sleep 1 ms before each call (outside the timing), so every worker has parked
 * and the call pays for waking one up.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ParallelDispatchBenchmark {
    private static final int CHUNKS = 2;

    @State(Scope.Benchmark)
    public static class Pools {
        @Param({"0", "2000"})
        public long chunkNanos;
        Parallel parallel;
        Parallel.RangeBody body;
        ExecutorService executor;

        @Setup(Level.Trial)
        public void start() {
            parallel = new Parallel(CHUNKS);
            executor = Executors.newFixedThreadPool(CHUNKS - 1);
            long nanos = chunkNanos;
            body = (from, to) -> work(nanos);
        }

        @TearDown(Level.Trial)
        public void stop() {
            parallel.close();
            executor.shutdownNow();
        }
    }

    /** Sleeps before every call so that the pools' threads are parked when it starts. */
    @State(Scope.Benchmark)
    public static class IdlePools extends Pools {
        @Setup(Level.Invocation)
        public void idle() throws InterruptedException {
            Thread.sleep(1);
        }
    }

    static void work(long nanos) {
        if (nanos > 0) {
            long end = System.nanoTime() + nanos;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }
    }

    private static final class Chunks extends RecursiveAction {
        private final int from;
        private final int to;
        private final long nanos;

        Chunks(int from, int to, long nanos) {
            this.from = from;
            this.to = to;
            this.nanos = nanos;
        }

        @Override
        protected void compute() {
            if (to - from > 1) {
                int mid = (from + to) >>> 1;
                Chunks right = new Chunks(mid, to, nanos);
                right.fork();
                new Chunks(from, mid, nanos).compute();
                right.join();
            } else {
                work(nanos);
            }
        }
    }

    private static void criaParallel(Pools pools) {
        pools.parallel.forRange(CHUNKS, pools.body);
    }

    private static void forkJoinStream(Pools pools) {
        long nanos = pools.chunkNanos;
        IntStream.range(0, CHUNKS).parallel().forEach(i -> work(nanos));
    }

    private static void forkJoinTask(Pools pools) {
        ForkJoinPool.commonPool().invoke(new Chunks(0, CHUNKS, pools.chunkNanos));
    }

    private static void executorLatch(Pools pools) throws InterruptedException {
        long nanos = pools.chunkNanos;
        CountDownLatch done = new CountDownLatch(CHUNKS - 1);
        for (int c = 1; c < CHUNKS; c++) {
            pools.executor.execute(() -> {
                work(nanos);
                done.countDown();
            });
        }
        work(nanos);
        done.await();
    }

    @Benchmark
    public void criaParallel_backToBack(Pools pools) {
        criaParallel(pools);
    }

    @Benchmark
    public void forkJoinStream_backToBack(Pools pools) {
        forkJoinStream(pools);
    }

    @Benchmark
    public void forkJoinTask_backToBack(Pools pools) {
        forkJoinTask(pools);
    }

    @Benchmark
    public void executorLatch_backToBack(Pools pools) throws InterruptedException {
        executorLatch(pools);
    }

    @Benchmark
    public void criaParallel_afterIdle(IdlePools pools) {
        criaParallel(pools);
    }

    @Benchmark
    public void forkJoinStream_afterIdle(IdlePools pools) {
        forkJoinStream(pools);
    }

    @Benchmark
    public void forkJoinTask_afterIdle(IdlePools pools) {
        forkJoinTask(pools);
    }

    @Benchmark
    public void executorLatch_afterIdle(IdlePools pools) throws InterruptedException {
        executorLatch(pools);
    }
}
