package dev.cria.cli.data;

import dev.cria.data.engine.RunProgress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The engine's progress on stderr: a bar per pass over input megabytes (rate in MB/s and ETA) with the document count
 * beside it. Without a terminal (logs, CI) it prints one line per pass when the pass ends.
 */
final class ConsoleRunProgress implements RunProgress {
    private final PrintStream err;
    private final boolean interactive;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong documents = new AtomicLong();
    private ProgressBar bar;
    private String phase;
    private long phaseStart;

    ConsoleRunProgress(PrintStream err) {
        this.err = err;
        this.interactive = System.console() != null && System.console().isTerminal();
    }

    @Override
    public synchronized void phase(String name, long totalBytes) {
        finish();
        phase = name;
        phaseStart = System.nanoTime();
        bytes.set(0);
        documents.set(0);
        if (interactive) {
            bar = new ProgressBarBuilder()
                    .setTaskName(name)
                    .setInitialMax(totalBytes)
                    .setUnit(" MB", 1_000_000)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setConsumer(new ConsoleProgressBarConsumer(err))
                    .setUpdateIntervalMillis(250)
                    .showSpeed()
                    .build();
        }
    }

    @Override
    public void advance(long moreBytes, long moreDocuments) {
        long b = bytes.addAndGet(moreBytes);
        long d = documents.addAndGet(moreDocuments);
        ProgressBar current = bar;
        if (current != null) {
            current.stepTo(b);
            current.setExtraMessage(String.format(Locale.ROOT, "%,d docs", d));
        }
    }

    @Override
    public synchronized void done() {
        finish();
    }

    private void finish() {
        if (phase == null) {
            return;
        }
        if (bar != null) {
            bar.close();
            bar = null;
        }
        double seconds = Math.max(1e-9, (System.nanoTime() - phaseStart) / 1e9);
        err.printf(Locale.ROOT, "%s: %,d documents, %.1f MB in %.1f s (%.1f MB/s)%n", phase, documents.get(), bytes.get() / 1e6,
                seconds, bytes.get() / 1e6 / seconds);
        phase = null;
    }
}
