package dev.cria.cli.progress;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars (rate and ETA) on stderr for a job made of named phases; a new bar starts when the phase changes.
 * Without a terminal on stderr (logs, CI) it prints nothing but the phase summaries.
 */
public final class PhaseProgress implements AutoCloseable {
    private final PrintStream err;
    private final boolean interactive;
    private ProgressBar bar;
    private String phase;
    private String unit;

    public PhaseProgress(PrintStream err) {
        this.err = err;
        this.interactive = System.console() != null && System.console().isTerminal();
    }

    /** Reports {@code done} of {@code total} ({@code total < 0}: unknown) for {@code phase}, measured in {@code unit}. */
    public synchronized void update(String phase, String unit, long done, long total) {
        if (!phase.equals(this.phase)) {
            finishBar();
            this.phase = phase;
            this.unit = unit;
            if (interactive) {
                ProgressBarBuilder b = new ProgressBarBuilder()
                        .setTaskName(phase)
                        .setInitialMax(total)
                        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                        .setConsumer(new ConsoleProgressBarConsumer(err))
                        .setUpdateIntervalMillis(200)
                        .showSpeed();
                if (unit.equals("MB")) {
                    b.setUnit(" MB", 1_000_000);
                } else {
                    b.setUnit(" " + unit, 1);
                }
                bar = b.build();
            }
        }
        if (bar != null) {
            if (total >= 0 && total != bar.getMax()) {
                bar.maxHint(total);
            }
            bar.stepTo(done);
        }
    }

    private void finishBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public synchronized void close() {
        finishBar();
    }
}
