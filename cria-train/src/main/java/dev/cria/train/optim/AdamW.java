package dev.cria.train.optim;

import dev.cria.tensor.Parallel;
import dev.cria.train.ParameterTensor;
import dev.cria.train.Parameters;
import java.util.List;

/**
 * AdamW over a flat {@link Parameters} buffer with the semantics of PyTorch's {@code torch.optim.AdamW}: for step {@code t} (1-based), rate {@code lr} and gradient {@code g}:
 * <pre>
 *   θ ← θ · (1 − lr·λ)                      only for tensors with decayed = true
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 * Each element is updated on its own, so the result does not depend on how the work is split over threads.
 * Scalars are computed in double, elements in float as PyTorch does for float32 parameters.
 */
public final class AdamW {

    /** Elements per parallel chunk; chunks are independent, any split gives the same bits. */
    private static final int CHUNK = 1 << 16;

    private final Parameters parameters;
    private final AdamWSettings settings;
    private final float[] m;
    private final float[] v;
    /** The tensors sorted by offset: where each starts and whether it is decayed. */
    private final long[] tensorStart;
    private final boolean[] decayedAt;
    private long step;

    public AdamW(Parameters parameters, AdamWSettings settings) {
        this.parameters = parameters;
        this.settings = settings;
        this.m = new float[parameters.count()];
        this.v = new float[parameters.count()];
        List<ParameterTensor> tensors = parameters.tensors().stream()
                .sorted(java.util.Comparator.comparingLong(ParameterTensor::offset)).toList();
        this.tensorStart = new long[tensors.size()];
        this.decayedAt = new boolean[tensors.size()];
        long covered = 0;
        for (int i = 0; i < tensors.size(); i++) {
            ParameterTensor t = tensors.get(i);
            if (t.offset() != covered) {
                throw new IllegalArgumentException("parameter tensors must tile the buffer: " + t.name() + " starts at " + t.offset()
                        + ", expected " + covered);
            }
            tensorStart[i] = t.offset();
            decayedAt[i] = t.decayed();
            covered += t.size();
        }
        if (covered != parameters.count()) {
            throw new IllegalArgumentException("parameter tensors cover " + covered + " of " + parameters.count() + " values");
        }
    }

    public AdamWSettings settings() {
        return settings;
    }

    /** Steps taken so far (PyTorch's {@code state['step']}). */
    public long steps() {
        return step;
    }

    /** The first-moment estimates ({@code exp_avg}), in the layout of the parameters; live, for checkpoints. */
    public float[] firstMoment() {
        return m;
    }

    /** The second-moment estimates ({@code exp_avg_sq}); live, for checkpoints. */
    public float[] secondMoment() {
        return v;
    }

    /** Restores a saved state (resume). */
    public void restore(long steps, float[] firstMoment, float[] secondMoment) {
        if (firstMoment.length != m.length || secondMoment.length != v.length) {
            throw new IllegalArgumentException("optimizer state has " + firstMoment.length + "/" + secondMoment.length
                    + " values, the model " + m.length);
        }
        System.arraycopy(firstMoment, 0, m, 0, m.length);
        System.arraycopy(secondMoment, 0, v, 0, v.length);
        this.step = steps;
    }

    /** One update with learning rate {@code lr} from the gradients in {@link Parameters#grads()}. */
    public void step(double lr, Parallel parallel) {
        step++;
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        float decay = (float) (1 - lr * settings.weightDecay());
        float stepSize = (float) (lr / (1 - Math.pow(b1, step)));
        float correction2Sqrt = (float) Math.sqrt(1 - Math.pow(b2, step));
        float oneMinusB1 = (float) (1 - b1);
        float fb1 = (float) b1;
        float fb2 = (float) b2;
        float oneMinusB2 = (float) (1 - b2);
        float eps = (float) settings.eps();
        float[] theta = parameters.values();
        float[] g = parameters.grads();
        int n = theta.length;
        int chunks = (n + CHUNK - 1) / CHUNK;
        parallel.forRange(chunks, (from, to) -> {
            for (int c = from; c < to; c++) {
                int start = c * CHUNK;
                int end = Math.min(n, start + CHUNK);
                int t = tensorAt(start);
                while (start < end) {
                    int tensorEnd = t + 1 < tensorStart.length ? (int) Math.min(end, tensorStart[t + 1]) : end;
                    float keep = decayedAt[t] ? decay : 1f;
                    for (int i = start; i < tensorEnd; i++) {
                        float p = theta[i] * keep;
                        float gi = g[i];
                        float mi = fb1 * m[i] + oneMinusB1 * gi;
                        float vi = fb2 * v[i] + oneMinusB2 * gi * gi;
                        m[i] = mi;
                        v[i] = vi;
                        float denom = (float) Math.sqrt(vi) / correction2Sqrt + eps;
                        theta[i] = p - stepSize * (mi / denom);
                    }
                    start = tensorEnd;
                    t++;
                }
            }
        });
    }

    /** The tensor holding element {@code index}. */
    private int tensorAt(long index) {
        int lo = 0;
        int hi = tensorStart.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (tensorStart[mid] <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
