package dev.cria.train.optim;

/**
 * AdamW's hyperparameters (Loshchilov and Hutter, "Decoupled Weight Decay Regularization").
 *
 * @param beta1 decay of the first-moment average
 * @param beta2 decay of the second-moment average
 * @param eps added to the root of the second moment
 * @param weightDecay decoupled decay, applied as {@code θ ← θ·(1 − lr·weightDecay)} to decayed tensors only
 */
public record AdamWSettings(double beta1, double beta2, double eps, double weightDecay) {

    /** LLaMA §2.3: β1 = 0.9, β2 = 0.95, weight decay 0.1; eps 1e-8, PyTorch's default. */
    public static final AdamWSettings LLAMA = new AdamWSettings(0.9, 0.95, 1e-8, 0.1);

    public AdamWSettings {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("eps must be positive and weight decay non-negative, got " + eps + ", " + weightDecay);
        }
    }
}
