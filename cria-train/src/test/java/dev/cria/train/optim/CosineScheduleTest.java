package dev.cria.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CosineScheduleTest {

    /** 2000 warmup steps as in the paper; the decay spans steps 2000 to 10000 (p = (s − 2000) / 8000). */
    private final CosineSchedule schedule = new CosineSchedule(3e-4, 2000, 10_001, 0.1);

    @Test
    void warmsUpLinearlyToThePeak() {
        assertEquals(3e-4 / 2000, schedule.rate(0), 1e-15);
        assertEquals(3e-4 * 1000 / 2000, schedule.rate(999), 1e-15);
        assertEquals(3e-4, schedule.rate(1999), 1e-15);
    }

    @Test
    void decaysByCosineToTenPercentOfThePeak() {
        assertEquals(3e-4, schedule.rate(2000), 1e-15);
        // p = 1/2: midway between peak and floor.
        assertEquals((3e-4 + 3e-5) / 2, schedule.rate(6000), 1e-15);
        // p = 1/4: floor + (peak − floor)·(1 + cos(π/4))/2 = 3e-5 + 2.7e-4 · 0.853553…
        assertEquals(3e-5 + 2.7e-4 * 0.8535533905932737, schedule.rate(4000), 1e-15);
        assertEquals(3e-5, schedule.rate(10_000), 1e-15);
    }

    @Test
    void withoutWarmupStartsAtThePeak() {
        CosineSchedule s = new CosineSchedule(1e-3, 0, 11, 0.1);
        assertEquals(1e-3, s.rate(0), 1e-15);
        assertEquals(1e-4, s.rate(10), 1e-15);
    }
}
