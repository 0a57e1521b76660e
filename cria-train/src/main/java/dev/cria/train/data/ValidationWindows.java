package dev.cria.train.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed validation set: back-to-back windows of {@code seqLen + 1} tokens (each target predicted once) from the
 * start of every validation span, at most {@code maxWindows} of them, spread evenly over all that fit. The same
 * windows are evaluated every time, so validation losses of one run are comparable.
 */
public final class ValidationWindows {

    private record Window(TokenSpan span, long start) {
    }

    private final List<Window> windows;
    private final int seqLen;

    public ValidationWindows(List<TokenSpan> spans, int seqLen, int maxWindows) {
        this.seqLen = seqLen;
        List<Window> all = new ArrayList<>();
        for (TokenSpan s : spans) {
            for (long at = s.start(); at + seqLen + 1 <= s.end(); at += seqLen) {
                all.add(new Window(s, at));
            }
        }
        if (all.size() > maxWindows) {
            List<Window> picked = new ArrayList<>(maxWindows);
            for (int i = 0; i < maxWindows; i++) {
                picked.add(all.get((int) ((long) i * all.size() / maxWindows)));
            }
            all = picked;
        }
        this.windows = List.copyOf(all);
    }

    public int count() {
        return windows.size();
    }

    public int seqLen() {
        return seqLen;
    }

    /** Writes window {@code index} into row {@code row} of {@code inputs} and {@code targets}. */
    public void window(int index, int[] inputs, int[] targets, int row) {
        Window w = windows.get(index);
        w.span().shard().read(w.start(), inputs, row * seqLen, seqLen);
        w.span().shard().read(w.start() + 1, targets, row * seqLen, seqLen);
    }
}
