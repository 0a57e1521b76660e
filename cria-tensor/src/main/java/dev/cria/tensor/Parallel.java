package dev.cria.tensor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A parallel-for over a fixed set of threads with a dispatch cost of about a microsecond: decoding calls it for every
 * matrix-vector product, hundreds of times per token, where a fork-join or executor round trip (tens of
 * microseconds when workers sleep) would cost more than the products themselves.
 *
 * <p>{@link #forRange} splits {@code [0, n)} into {@code min(threads, n)} contiguous chunks. The {@code threads - 1}
 * workers are persistent: between dispatches each one spins on a volatile generation counter for
 * {@value #SPIN_NANOS} ns, then parks until the next dispatch unparks it. Chunks are claimed from a shared ticket,
 * so the caller, which claims too, takes over the chunks of a worker that has not woken up yet instead of waiting for
 * it; the caller returns once every chunk has finished (a completion counter) and rethrows the first failure.
 *
 * <p>One dispatch runs at a time: a {@code forRange} issued while another is in flight (from a second thread, or
 * nested inside a body) runs its whole range inline on its calling thread, which is correct and cannot deadlock.
 */
public final class Parallel implements AutoCloseable {

    /** The work on one chunk {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * The work on one chunk, with its inputs passed as arguments rather than captured: a non-capturing lambda is a
     * constant, so a dispatch through {@link #forRange(int, Object, Object, Object, RangeTask)} allocates nothing.
     */
    @FunctionalInterface
    public interface RangeTask<A, B, C> {
        void run(A a, B b, C c, int from, int to);
    }

    private static final RangeTask<RangeBody, Object, Object> RUN_BODY =
            (body, unused1, unused2, from, to) -> body.run(from, to);

    /** How long an idle worker polls before parking: longer than the gaps between a decode step's products. */
    static final long SPIN_NANOS = 200_000;
    /** The caller polls this long for stragglers before parking until the last chunk finishes. */
    private static final long WAIT_SPIN_NANOS = 50_000;

    private static final VarHandle FAILURE;
    private static final VarHandle TICKET;
    private static final VarHandle DONE;
    private static final VarHandle BUSY;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FAILURE = lookup.findVarHandle(Parallel.class, "failure", Throwable.class);
            TICKET = lookup.findVarHandle(Parallel.class, "ticket", long.class);
            DONE = lookup.findVarHandle(Parallel.class, "done", int.class);
            BUSY = lookup.findVarHandle(Parallel.class, "busy", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int threads;
    private final Worker[] workers;

    // The task of the current generation. Written by the dispatching thread only while no chunk of the previous
    // generation can still be running, then published by the volatile write of `ticket`.
    private RangeTask<Object, Object, Object> task;
    private Object a;
    private Object b;
    private Object c;
    private int n;
    private int chunks;

    /**
     * (generation << 32) | next unclaimed chunk. A claim is a CAS that checks the generation, so a worker that read
     * an old generation can never run a chunk of a newer one with stale bounds.
     */
    private volatile long ticket;
    /** Chunks of the current generation that have finished (normally or not). */
    private volatile int done;
    /** Bumped after `ticket` to wake the workers; they spin on it, then park. */
    private volatile int generation;
    private volatile Throwable failure;
    /** 1 while a dispatch is in flight. */
    private volatile int busy;
    /** The dispatching thread while it is parked waiting for stragglers, else null. */
    private volatile Thread waiter;
    private volatile boolean closed;

    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].thread.start();
        }
    }

    /** A pool with one thread per available processor. */
    public static Parallel ofAvailableProcessors() {
        return new Parallel(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split in up to {@code threads()} contiguous chunks, chunk {@code i} of
     * {@code k} being {@code [n·i/k, n·(i+1)/k)}; returns when all have finished, rethrowing the first failure (later
     * ones are attached to it as suppressed exceptions).
     */
    public void forRange(int n, RangeBody body) {
        forRange(n, body, null, null, RUN_BODY);
    }

    /** As {@link #forRange(int, RangeBody)}, calling {@code task.run(a, b, c, from, to)} for each chunk. */
    @SuppressWarnings("unchecked")
    public <A, B, C> void forRange(int n, A a, B b, C c, RangeTask<A, B, C> task) {
        if (n < 0) {
            throw new IllegalArgumentException("range size must be >= 0, got " + n);
        }
        if (closed) {
            throw new IllegalStateException("Parallel is closed");
        }
        int k = Math.min(threads, n);
        if (k <= 1 || !BUSY.compareAndSet(this, 0, 1)) {
            if (n > 0) {
                task.run(a, b, c, 0, n);
            }
            return;
        }
        try {
            this.task = (RangeTask<Object, Object, Object>) task;
            this.a = a;
            this.b = b;
            this.c = c;
            dispatch(n, k);
        } finally {
            this.task = null;
            this.a = null;
            this.b = null;
            this.c = null;
            BUSY.setVolatile(this, 0);
        }
    }

    private void dispatch(int n, int k) {
        this.n = n;
        this.chunks = k;
        this.failure = null;
        DONE.setVolatile(this, 0);
        int gen = generation + 1;
        TICKET.setVolatile(this, (long) gen << 32);
        generation = gen;
        for (Worker w : workers) {
            if (w.parked) {
                LockSupport.unpark(w.thread);
            }
        }
        runChunks(gen);
        awaitChunks(k);
        switch (failure) {
            case null -> { }
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            case Throwable e -> throw new IllegalStateException("parallel body failed", e);
        }
    }

    /** Claims and runs chunks of generation {@code gen} until none is left; returns at once for an older generation. */
    private void runChunks(int gen) {
        while (true) {
            long t = ticket;
            if ((int) (t >>> 32) != gen) {
                return;
            }
            int i = (int) t;
            // `chunks` may already belong to a newer generation; then the claim below fails and the loop returns.
            if (i >= chunks) {
                return;
            }
            if (!TICKET.compareAndSet(this, t, t + 1)) {
                continue;
            }
            // The claim succeeded, so this generation is unfinished and its fields cannot change until we count done.
            int total = n;
            int k = chunks;
            try {
                task.run(a, b, c, (int) ((long) total * i / k), (int) ((long) total * (i + 1) / k));
            } catch (Throwable e) {
                if (!FAILURE.compareAndSet(this, null, e)) {
                    Throwable first = failure;
                    if (first != e) {
                        first.addSuppressed(e);
                    }
                }
            } finally {
                if ((int) DONE.getAndAdd(this, 1) + 1 == k) {
                    Thread w = waiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }
            }
        }
    }

    private void awaitChunks(int k) {
        if (done == k) {
            return;
        }
        long deadline = System.nanoTime() + WAIT_SPIN_NANOS;
        while (done != k) {
            if (System.nanoTime() < deadline) {
                Thread.onSpinWait();
                continue;
            }
            waiter = Thread.currentThread();
            // Re-check after publishing `waiter`: the last finisher either sees it or finished before this read.
            while (done != k) {
                LockSupport.park(this);
            }
            waiter = null;
        }
    }

    /** Stops the workers; a later {@link #forRange} throws. */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
    }

    private final class Worker implements Runnable {
        final Thread thread;
        volatile boolean parked;

        Worker(int index) {
            thread = new Thread(this, "cria-parallel-" + index);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            int seen = generation;
            while (!closed) {
                int gen = awaitGeneration(seen);
                if (gen == seen) {
                    continue;
                }
                seen = gen;
                runChunks(gen);
            }
        }

        /** Spins, then parks, until the generation differs from {@code seen} or the pool closes. */
        private int awaitGeneration(int seen) {
            long deadline = System.nanoTime() + SPIN_NANOS;
            int spins = 0;
            while (true) {
                int gen = generation;
                if (gen != seen || closed) {
                    return gen;
                }
                if ((++spins & 63) != 0 || System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                // Dekker with dispatch(): it writes `generation` then reads `parked`; we write `parked` then read
                // `generation`, so at least one side sees the other and the wake-up cannot be lost.
                if (generation == seen && !closed) {
                    LockSupport.park(this);
                }
                parked = false;
                deadline = System.nanoTime() + SPIN_NANOS;
            }
        }
    }
}
