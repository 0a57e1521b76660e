package dev.cria.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class ParallelTest {

    private static void assertEachIndexOnce(AtomicIntegerArray hits) {
        for (int i = 0; i < hits.length(); i++) {
            assertEquals(1, hits.get(i), "index " + i);
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 3, 4, 7})
    void coversEveryIndexExactlyOnce(int threads) {
        try (Parallel p = new Parallel(threads)) {
            for (int n : new int[] {0, 1, 2, 3, 5, 8, 100, 1001}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                p.forRange(n, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                assertEachIndexOnce(hits);
            }
        }
    }

    @Test
    void splitsIntoTheDocumentedContiguousChunks() {
        try (Parallel p = new Parallel(3)) {
            Set<List<Integer>> chunks = ConcurrentHashMap.newKeySet();
            p.forRange(10, (from, to) -> chunks.add(List.of(from, to)));
            assertEquals(Set.of(List.of(0, 3), List.of(3, 6), List.of(6, 10)), chunks);
            chunks.clear();
            p.forRange(2, (from, to) -> chunks.add(List.of(from, to)));
            assertEquals(Set.of(List.of(0, 1), List.of(1, 2)), chunks, "no more chunks than indices");
        }
    }

    @Test
    void staysCorrectOverManyDispatches() {
        try (Parallel p = new Parallel(2)) {
            long[] partial = new long[2];
            for (int call = 0; call < 200_000; call++) {
                int n = 1 + call % 17;
                AtomicLong sum = new AtomicLong();
                p.forRange(n, (from, to) -> {
                    long s = 0;
                    for (int i = from; i < to; i++) {
                        s += i;
                    }
                    sum.addAndGet(s);
                });
                assertEquals((long) n * (n - 1) / 2, sum.get(), "call " + call);
            }
            // The allocation-free form hands its arguments through unchanged.
            p.forRange(2, partial, "x", 7, (arr, s, k, from, to) -> arr[from] = s.length() + k + to);
            assertEquals(1 + 7 + 1, partial[0]);
            assertEquals(1 + 7 + 2, partial[1]);
        }
    }

    @Test
    void propagatesAFailureOfAnotherThreadsChunkAndKeepsWorking() {
        try (Parallel p = new Parallel(2)) {
            IllegalStateException boom = new IllegalStateException("boom");
            for (int attempt = 0; attempt < 100; attempt++) {
                IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> p.forRange(2, (from, to) -> {
                    if (from == 1) {
                        throw boom;
                    }
                }));
                assertSame(boom, thrown);
            }
            AtomicIntegerArray hits = new AtomicIntegerArray(50);
            p.forRange(50, (from, to) -> {
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            assertEachIndexOnce(hits);
        }
    }

    @Test
    void reportsEveryFailingChunkAndStillRunsTheOthers() {
        try (Parallel p = new Parallel(4)) {
            AtomicIntegerArray ran = new AtomicIntegerArray(4);
            AssertionError first = assertThrows(AssertionError.class, () -> p.forRange(4, (from, to) -> {
                ran.incrementAndGet(from);
                if (from != 2) {
                    throw new AssertionError("chunk " + from);
                }
            }));
            assertEquals(2, first.getSuppressed().length, "three failures: one thrown, two suppressed");
            assertEachIndexOnce(ran);
        }
    }

    @Test
    void wrapsACheckedExceptionThrownSneakily() {
        try (Parallel p = new Parallel(2)) {
            Exception checked = new java.io.IOException("disk");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> p.forRange(2, (from, to) -> sneakyThrow(checked)));
            assertSame(checked, e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void parkedWorkersWakeUpForTheNextDispatch() throws Exception {
        try (Parallel p = new Parallel(2)) {
            p.forRange(2, (from, to) -> { });
            for (int round = 0; round < 3; round++) {
                // Far longer than the spin phase, so the worker has parked.
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(Parallel.SPIN_NANOS) + 20);
                // Both chunks can pass the barrier only if they run at the same time on two threads.
                CyclicBarrier barrier = new CyclicBarrier(2);
                p.forRange(2, (from, to) -> {
                    try {
                        barrier.await(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new AssertionError("the worker did not wake up", e);
                    }
                });
            }
        }
    }

    @Test
    void aNestedDispatchRunsInlineAndCoversItsRange() {
        try (Parallel p = new Parallel(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(6 * 40);
            p.forRange(6, (from, to) -> {
                for (int outer = from; outer < to; outer++) {
                    int base = outer * 40;
                    p.forRange(40, (a, b) -> {
                        for (int i = a; i < b; i++) {
                            hits.incrementAndGet(base + i);
                        }
                    });
                }
            });
            assertEachIndexOnce(hits);
        }
    }

    @Test
    void twoCallingThreadsCanShareOnePool() throws Exception {
        try (Parallel p = new Parallel(2)) {
            List<Throwable> failures = new ArrayList<>();
            Runnable caller = () -> {
                for (int call = 0; call < 20_000; call++) {
                    int n = 1 + call % 9;
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    p.forRange(n, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            hits.incrementAndGet(i);
                        }
                    });
                    assertEachIndexOnce(hits);
                }
            };
            Thread a = new Thread(caller);
            Thread b = new Thread(caller);
            for (Thread t : List.of(a, b)) {
                t.setUncaughtExceptionHandler((thread, e) -> {
                    synchronized (failures) {
                        failures.add(e);
                    }
                });
                t.start();
            }
            a.join();
            b.join();
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
        }
    }

    @Test
    void closedPoolsAndBadArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Parallel(0));
        Parallel p = new Parallel(2);
        assertThrows(IllegalArgumentException.class, () -> p.forRange(-1, (from, to) -> { }));
        p.close();
        assertThrows(IllegalStateException.class, () -> p.forRange(4, (from, to) -> { }));
    }
}
