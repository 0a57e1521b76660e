package dev.cria.train;

import java.util.List;

/**
 * Every trainable value of a model in one flat buffer, its gradients in a second buffer of the same layout, and the
 * named tensors that partition them (llm.c's layout: a tensor is an offset).
 *
 * <p>Flat float arrays hold at most 2^31 - 1 values, enough for the models Cria trains on a CPU (up to about 2
 * billion parameters).
 */
public record Parameters(float[] values, float[] grads, List<ParameterTensor> tensors) {

    public Parameters {
        if (values.length != grads.length) {
            throw new IllegalArgumentException("values and grads differ in length: " + values.length + " vs " + grads.length);
        }
        tensors = List.copyOf(tensors);
    }

    public int count() {
        return values.length;
    }

    public ParameterTensor tensor(String name) {
        for (ParameterTensor t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no parameter tensor named " + name);
    }

    public void zeroGrads() {
        java.util.Arrays.fill(grads, 0f);
    }
}
