package dev.cria.train.run;

/** A NaN or infinity stopped the run: names the step and where it appeared (layer, loss or a gradient). */
public final class TrainingStoppedException extends RuntimeException {

    private final long step;
    private final String where;

    public TrainingStoppedException(long step, String where, Throwable cause) {
        super("step " + step + ": non-finite value (NaN or Inf) in " + where + "; training stopped", cause);
        this.step = step;
        this.where = where;
    }

    public long step() {
        return step;
    }

    public String where() {
        return where;
    }
}
