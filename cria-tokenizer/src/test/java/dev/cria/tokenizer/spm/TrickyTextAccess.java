package dev.cria.tokenizer.spm;

import java.util.List;

/** Lets tests in other packages use {@link TrickyText}. */
public final class TrickyTextAccess {
    private TrickyTextAccess() {
    }

    public static List<String> lines(long seed, int count, int maxAtoms) {
        return TrickyText.lines(seed, count, maxAtoms);
    }
}
