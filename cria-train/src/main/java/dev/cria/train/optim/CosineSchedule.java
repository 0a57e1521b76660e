package dev.cria.train.optim;

/**
 * LLaMA's learning-rate schedule (§2.3): a linear warmup, then a cosine decay to a fraction of the peak ("the final
 * learning rate is equal to 10% of the maximal learning rate"). For the 0-based step {@code s} of {@code total}:
 * <pre>
 *   s &lt; warmup:  lr = peak · (s + 1) / warmup
 *   otherwise:   p = (s − warmup) / (total − 1 − warmup)      (0 at the first step after warmup, 1 at the last)
 *                lr = floor + (peak − floor) · (1 + cos(π·p)) / 2,   floor = finalRatio · peak
 * </pre>
 * The last warmup step runs at the peak, and the last step at the floor. When {@code total} grows on resume, the
 * cosine stretches to the new end.
 *
 * @param peak the maximal learning rate
 * @param warmupSteps steps of linear warmup (2000 in the paper)
 * @param totalSteps steps of the whole run
 * @param finalRatio the final rate as a fraction of the peak (0.1 in the paper)
 */
public record CosineSchedule(double peak, long warmupSteps, long totalSteps, double finalRatio) {

    public CosineSchedule {
        if (!(peak > 0) || warmupSteps < 0 || totalSteps < 1 || !(finalRatio >= 0 && finalRatio <= 1)) {
            throw new IllegalArgumentException("bad schedule: peak " + peak + ", warmup " + warmupSteps + ", total " + totalSteps
                    + ", final ratio " + finalRatio);
        }
    }

    /** The rate for 0-based step {@code step}. */
    public double rate(long step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        double floor = finalRatio * peak;
        long span = totalSteps - 1 - warmupSteps;
        double progress = span <= 0 ? 1.0 : Math.min(1.0, (double) (step - warmupSteps) / span);
        return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
