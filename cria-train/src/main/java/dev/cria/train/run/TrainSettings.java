package dev.cria.train.run;

import dev.cria.train.optim.AdamWSettings;
import dev.cria.train.optim.CosineSchedule;

/**
 * What the training loop needs to know, resolved from the config file and flags.
 *
 * @param seqLen tokens per window (targets per row)
 * @param batchWindows windows per optimizer step: the token batch is {@code batchWindows × seqLen}
 * @param microBatch windows per forward/backward call; gradients of {@code batchWindows / microBatch} calls are
 *     accumulated before the step
 * @param schedule learning rate per step; its {@code totalSteps} is the step count to reach
 * @param adamw optimizer hyperparameters
 * @param gradClip maximal global gradient norm
 * @param seed seeds the window sampler
 * @param valEvery validate after every this many steps (0: never), and at the start and the end
 * @param valWindows validation windows evaluated each time
 * @param checkpointEvery write a checkpoint after every this many steps (0: only at the end)
 * @param logEvery print a progress line every this many steps
 */
public record TrainSettings(int seqLen, int batchWindows, int microBatch, CosineSchedule schedule, AdamWSettings adamw,
                            double gradClip, long seed, int valEvery, int valWindows, int checkpointEvery, int logEvery) {

    public TrainSettings {
        if (seqLen < 1 || batchWindows < 1 || microBatch < 1 || batchWindows % microBatch != 0) {
            throw new IllegalArgumentException("batch of " + batchWindows + " windows must be a positive multiple of the micro-batch of "
                    + microBatch + " (seq_len " + seqLen + ")");
        }
        if (!(gradClip > 0) || valEvery < 0 || valWindows < 0 || checkpointEvery < 0 || logEvery < 1) {
            throw new IllegalArgumentException("bad loop settings: grad_clip " + gradClip + ", val_every " + valEvery
                    + ", val windows " + valWindows + ", checkpoint_every " + checkpointEvery + ", log_every " + logEvery);
        }
    }

    public long totalSteps() {
        return schedule.totalSteps();
    }

    /** Tokens (targets) per optimizer step. */
    public long batchTokens() {
        return (long) batchWindows * seqLen;
    }

    /** The same settings with another total step count (the cosine stretches to it). */
    public TrainSettings withTotalSteps(long steps) {
        CosineSchedule s = new CosineSchedule(schedule.peak(), schedule.warmupSteps(), steps, schedule.finalRatio());
        return new TrainSettings(seqLen, batchWindows, microBatch, s, adamw, gradClip, seed, valEvery, valWindows, checkpointEvery, logEvery);
    }
}
