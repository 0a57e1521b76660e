package dev.cria.train.run;

/**
 * One optimizer step as {@code metrics.jsonl} records it.
 *
 * @param step the step number, 1 for the first
 * @param loss mean cross-entropy (nats per token) over the step's whole accumulated batch
 * @param lr the learning rate applied in the step
 * @param gradNorm global gradient norm before clipping
 * @param tokensPerSecond training tokens of the step over its wall time
 * @param tokens training tokens consumed up to and including this step
 * @param seconds wall time of the step
 */
public record StepMetrics(long step, double loss, double lr, double gradNorm, double tokensPerSecond, long tokens, double seconds) {
}
