package dev.cria.train.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The progress printed while training: every {@code logEvery} steps (and the last) a line with the step, the loss,
 * the learning rate, the gradient norm, tokens per second and the time left; validations and checkpoints on lines
 * of their own.
 */
public final class ProgressLine implements TrainListener {

    private final PrintStream out;
    private final int logEvery;
    private long startNanos;
    private long firstStep;
    private double stepSeconds;

    public ProgressLine(PrintStream out, int logEvery) {
        this.out = out;
        this.logEvery = logEvery;
    }

    @Override
    public void started(RunState state, long totalSteps) {
        startNanos = System.nanoTime();
        firstStep = state.step();
        stepSeconds = 0;
        out.printf(Locale.ROOT, "%s at step %d of %d%n", state.step() == 0 ? "training" : "resuming", state.step(), totalSteps);
    }

    @Override
    public void stepped(StepMetrics m, long totalSteps) {
        stepSeconds += m.seconds();
        if (m.step() % logEvery != 0 && m.step() != totalSteps) {
            return;
        }
        // Time left from the mean step time since this process started (validation and checkpoints included).
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double perStep = elapsed / Math.max(1, m.step() - firstStep);
        out.printf(Locale.ROOT, "step %d/%d  loss %.4f  lr %.3e  grad norm %.3f  %,.0f tok/s  ETA %s%n", m.step(), totalSteps, m.loss(),
                m.lr(), m.gradNorm(), m.tokensPerSecond(), duration(perStep * (totalSteps - m.step())));
        out.flush();
    }

    @Override
    public void validated(long step, double loss) {
        out.printf(Locale.ROOT, "step %d  val loss %.4f (perplexity %.2f)%n", step, loss, Math.exp(loss));
        out.flush();
    }

    @Override
    public void checkpointed(long step, Path dir) {
        out.printf(Locale.ROOT, "step %d  checkpoint %s%n", step, dir);
        out.flush();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
