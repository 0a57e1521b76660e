package dev.cria.cli.quickstart;

import java.lang.management.ManagementFactory;

/**
 * One step of the recipe as it ran: wall time, the CPU time of the whole process over it (all threads), and its
 * throughput in the step's own unit (pages, MB, tokens).
 */
public record StepTiming(String step, double wallSeconds, double cpuSeconds, double amount, String unit) {

    public double rate() {
        return wallSeconds > 0 ? amount / wallSeconds : 0;
    }

    /** Times a step from its start to {@link #stop}. */
    public static final class Clock {
        private final long wallStart = System.nanoTime();
        private final long cpuStart = processCpuNanos();

        public StepTiming stop(String step, double amount, String unit) {
            return new StepTiming(step, (System.nanoTime() - wallStart) / 1e9, (processCpuNanos() - cpuStart) / 1e9, amount, unit);
        }
    }

    /** CPU time of every thread of this JVM so far, or 0 where the platform does not report it. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }
}
