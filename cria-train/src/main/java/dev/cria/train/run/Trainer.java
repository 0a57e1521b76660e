package dev.cria.train.run;

import dev.cria.tensor.Parallel;
import dev.cria.train.NonFiniteException;
import dev.cria.train.ParameterTensor;
import dev.cria.train.Parameters;
import dev.cria.train.TrainableModel;
import dev.cria.train.checkpoint.CheckpointStore;
import dev.cria.train.data.TokenDataset;
import dev.cria.train.data.ValidationWindows;
import dev.cria.train.data.WindowSampler;
import dev.cria.train.optim.AdamW;
import dev.cria.train.optim.GradientClipping;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The training loop. One optimizer step:
 * <pre>
 *   grads ← 0
 *   for each micro-batch of the step's windows:  loss_sum += model.forwardBackward(...)   (adds Σ-gradients)
 *   grads ← grads / tokens                     (the gradient of the mean loss over the whole batch)
 *   n ← ‖grads‖;  clip to gradClip
 *   θ ← AdamW(θ, grads, lr = schedule(step))
 * </pre>
 * Validation runs before the first step, every {@code valEvery} steps and after the last; checkpoints (and the loss
 * plot) every {@code checkpointEvery} steps and after the last. Everything is a function of the seed, the weights and the
 * run state, so a run resumed from a checkpoint repeats the uninterrupted run's losses bit for bit.
 */
public final class Trainer {

    /** Where the loop writes: metrics, the loss plot, checkpoints (any may be null in tests). */
    public record Outputs(MetricsLog metrics, Path lossPlot, String plotTitle, CheckpointStore checkpoints, CheckpointStore.Model checkpointModel) {
    }

    private final TrainableModel model;
    private final TrainSettings settings;
    private final AdamW adamw;
    private final WindowSampler sampler;
    private final ValidationWindows validation;
    private final Parallel parallel;
    private final Outputs outputs;
    private final TrainListener listener;
    private final int[] inputs;
    private final int[] targets;

    public Trainer(TrainableModel model, TrainSettings settings, AdamW adamw, TokenDataset data, Parallel parallel, Outputs outputs,
                   TrainListener listener) {
        this.model = model;
        this.settings = settings;
        this.adamw = adamw;
        this.sampler = new WindowSampler(data.training(), settings.seqLen(), settings.seed());
        this.validation = data.validation().isEmpty() || settings.valWindows() == 0 ? null
                : new ValidationWindows(data.validation(), settings.seqLen(), settings.valWindows());
        this.parallel = parallel;
        this.outputs = outputs;
        this.listener = listener;
        this.inputs = new int[settings.microBatch() * settings.seqLen()];
        this.targets = new int[settings.microBatch() * settings.seqLen()];
    }

    /** Runs from {@code state} to the settings' total step count; returns the final state. */
    public RunState run(RunState state) throws IOException {
        long total = settings.totalSteps();
        listener.started(state, total);
        if (state.step() == 0) {
            validate(0);
        }
        while (state.step() < total) {
            long started = System.nanoTime();
            StepResult r = step(state);
            double seconds = (System.nanoTime() - started) / 1e9;
            state = r.state();
            StepMetrics m = new StepMetrics(state.step(), r.loss(), r.lr(), r.gradNorm(), settings.batchTokens() / seconds, state.tokens(), seconds);
            if (outputs.metrics() != null) {
                outputs.metrics().step(m);
            }
            listener.stepped(m, total);
            boolean last = state.step() == total;
            if (last || settings.valEvery() > 0 && state.step() % settings.valEvery() == 0) {
                validate(state.step());
            }
            if (outputs.checkpoints() != null && (last || settings.checkpointEvery() > 0 && state.step() % settings.checkpointEvery() == 0)) {
                Path dir = outputs.checkpoints().save(outputs.checkpointModel(), model.parameters(), adamw, state);
                listener.checkpointed(state.step(), dir);
                if (!last) {
                    // Drawing takes a few hundred milliseconds: the curve is redrawn with each checkpoint, not each step.
                    plot();
                }
            }
        }
        plot();
        return state;
    }

    /** What one optimizer step did. */
    public record StepResult(RunState state, double loss, double lr, double gradNorm) {
    }

    /** One optimizer step from {@code state} (step number {@code state.step() + 1}). */
    public StepResult step(RunState state) {
        long stepNumber = state.step() + 1;
        Parameters p = model.parameters();
        p.zeroGrads();
        int rows = settings.microBatch();
        int seqLen = settings.seqLen();
        long window = state.windowsDrawn();
        double lossSum = 0;
        for (int micro = 0; micro < settings.batchWindows() / rows; micro++) {
            for (int r = 0; r < rows; r++) {
                sampler.window(window++, inputs, targets, r);
            }
            try {
                lossSum += model.forwardBackward(inputs, targets, rows, seqLen);
            } catch (NonFiniteException e) {
                throw new TrainingStoppedException(stepNumber, e.where(), e);
            }
        }
        long tokens = settings.batchTokens();
        double loss = lossSum / tokens;
        if (!Double.isFinite(loss)) {
            throw new TrainingStoppedException(stepNumber, "the loss (" + loss + ")", null);
        }
        GradientClipping.scale(p.grads(), (float) (1.0 / tokens), parallel);
        double norm = GradientClipping.clip(p.grads(), settings.gradClip(), parallel);
        if (!Double.isFinite(norm)) {
            throw new TrainingStoppedException(stepNumber, "the gradient of " + firstNonFiniteGradient(p), null);
        }
        double lr = settings.schedule().rate(state.step());
        adamw.step(lr, parallel);
        RunState next = new RunState(stepNumber, window, state.seed(), state.tokens() + tokens);
        return new StepResult(next, loss, lr, norm);
    }

    private static String firstNonFiniteGradient(Parameters p) {
        float[] g = p.grads();
        for (ParameterTensor t : p.tensors()) {
            for (long i = t.offset(); i < t.offset() + t.size(); i++) {
                if (!Float.isFinite(g[(int) i])) {
                    return t.name();
                }
            }
        }
        return "an unnamed parameter";
    }

    /** Mean cross-entropy over the validation windows, or NaN when the run has none. */
    public double validationLoss() {
        if (validation == null) {
            return Double.NaN;
        }
        int rows = settings.microBatch();
        int seqLen = settings.seqLen();
        double sum = 0;
        long count = 0;
        for (int first = 0; first < validation.count(); first += rows) {
            int n = Math.min(rows, validation.count() - first);
            for (int r = 0; r < n; r++) {
                validation.window(first + r, inputs, targets, r);
            }
            sum += model.loss(inputs, targets, n, seqLen);
            count += (long) n * seqLen;
        }
        return sum / count;
    }

    private void validate(long step) throws IOException {
        if (validation == null) {
            return;
        }
        double loss;
        try {
            loss = validationLoss();
        } catch (NonFiniteException e) {
            throw new TrainingStoppedException(step, e.where() + " (validation)", e);
        }
        if (outputs.metrics() != null) {
            outputs.metrics().validation(step, loss);
        }
        listener.validated(step, loss);
    }

    private void plot() throws IOException {
        if (outputs.lossPlot() != null && outputs.metrics() != null) {
            LossPlot.write(outputs.lossPlot(), outputs.plotTitle(), outputs.metrics().training(), outputs.metrics().validation());
        }
    }
}
