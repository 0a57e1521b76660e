package dev.cria.tokenizer.train;

/** What a training run reports while it works: log lines (spm_train's messages) and progress of its phases. */
@FunctionalInterface
public interface TrainingListener {

    void log(String message);

    /** {@code done} out of {@code total} units of {@code phase} ("reading" in bytes, "merging" in pieces); total -1 if unknown. */
    default void progress(String phase, long done, long total) {
    }

    TrainingListener QUIET = message -> { };
}
