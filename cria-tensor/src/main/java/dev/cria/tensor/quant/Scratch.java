package dev.cria.tensor.quant;

/**
 * Per-thread work buffers of the quantized kernels, grown on first use and then reused, so that the products
 * allocate nothing once warm. Each thread of a parallel product gets its own.
 */
final class Scratch {
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    private final float[] panel = new float[PanelMatmul.panelSize()];
    private final Q8Activations activations = new Q8Activations();

    private Scratch() {
    }

    static Scratch current() {
        return LOCAL.get();
    }

    float[] panel() {
        return panel;
    }

    /** The calling thread's activation buffer, shaped for {@code rows × cols}. */
    Q8Activations activations(int rows, int cols) {
        activations.reshape(rows, cols);
        return activations;
    }
}
