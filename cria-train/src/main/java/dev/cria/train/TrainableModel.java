package dev.cria.train;

import dev.cria.model.LlamaConfig;

/**
 * What the trainer needs from a model: its parameters, and a forward and backward pass over a batch of token windows.
 *
 * <p>Results depend only on the parameters and the inputs, never on the number of threads: every reduction runs in
 * a fixed order, so the same seed gives the same losses whatever {@code --threads} says.
 */
public interface TrainableModel extends AutoCloseable {

    LlamaConfig config();

    Parameters parameters();

    /**
     * Runs forward and backward over {@code batch} windows of {@code seqLen} tokens and <em>adds</em> the gradient of
     * the summed cross-entropy into {@link Parameters#grads()} (so gradient accumulation is repeated calls).
     *
     * @param inputs {@code batch × seqLen} token ids, row-major
     * @param targets {@code batch × seqLen} next-token ids, row-major
     * @return the summed (not mean) cross-entropy in nats over the {@code batch × seqLen} targets
     * @throws NonFiniteException when an activation or the loss is NaN or infinite, naming the first layer where it appeared
     */
    double forwardBackward(int[] inputs, int[] targets, int batch, int seqLen);

    /** The summed cross-entropy over the targets, without gradients (validation). */
    double loss(int[] inputs, int[] targets, int batch, int seqLen);

    /** Bytes of activations the last {@link #forwardBackward} kept for its backward pass (for the memory report). */
    long activationBytes();

    @Override
    void close();
}
