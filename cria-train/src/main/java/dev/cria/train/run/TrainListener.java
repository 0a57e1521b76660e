package dev.cria.train.run;

/** What the training loop reports while it runs (the progress line, tests). */
public interface TrainListener {

    default void started(RunState state, long totalSteps) {
    }

    default void stepped(StepMetrics metrics, long totalSteps) {
    }

    default void validated(long step, double loss) {
    }

    default void checkpointed(long step, java.nio.file.Path dir) {
    }

    TrainListener NONE = new TrainListener() {
    };
}
