package dev.cria.model;

/**
 * Rotary position embeddings (Su et al. 2021, RoFormer) as LLaMA uses them: within each head of size {@code d},
 * the pair {@code (x[2i], x[2i+1])} is rotated by the angle {@code pos · ω_i} with
 *
 * <pre>
 *   ω_i = θ^(-2i/d) / f_i          i in [0, d/2)
 * </pre>
 *
 * where θ is the model's base ({@code rope.freq_base}, 10000 for LLaMA 1/2, 500000 for Llama 3) and {@code f_i} a
 * per-frequency divisor: 1 for LLaMA 1/2 and Llama 3.0; Llama 3.1's frequency factors (from {@code rope_freqs.weight},
 * or computed from {@link LlamaConfig.RopeScaling} as Meta's reference does); the constant {@code factor} for linear
 * position scaling. Angles are computed in double precision, once per position, and shared by every head and layer.
 */
public final class RotaryEmbedding {
    private final int headSize;
    private final double[] frequencies;

    /** The frequencies of {@code config}, divided by {@code factors} when given ({@code headSize/2} values), else by {@code config.ropeScaling()}'s. */
    public RotaryEmbedding(LlamaConfig config, float[] factors) {
        this.headSize = config.headSize();
        int half = headSize / 2;
        float[] divisors = factors != null ? factors : config.ropeScaling() != null ? llama3Factors(config, config.ropeScaling()) : null;
        if (divisors != null && divisors.length != half) {
            throw new IllegalArgumentException("rope frequency factors have " + divisors.length + " values, head size " + headSize + " needs " + half);
        }
        this.frequencies = new double[half];
        for (int i = 0; i < half; i++) {
            double w = Math.pow(config.ropeTheta(), -2.0 * i / headSize);
            frequencies[i] = divisors == null ? w : w / divisors[i];
        }
    }

    /**
     * Llama 3.1's scaling as divisors of the base frequencies: with wavelength {@code λ = 2π/ω}, long wavelengths
     * ({@code λ > L/low}, L the original context) are divided by {@code factor}, short ones ({@code λ < L/high})
     * kept, and in between the frequency is {@code (1-s)·ω/factor + s·ω} with {@code s = (L/λ - low)/(high - low)}.
     */
    static float[] llama3Factors(LlamaConfig config, LlamaConfig.RopeScaling scaling) {
        int half = config.headSize() / 2;
        float[] out = new float[half];
        double lowWavelength = scaling.originalContextLength() / (double) scaling.lowFreqFactor();
        double highWavelength = scaling.originalContextLength() / (double) scaling.highFreqFactor();
        for (int i = 0; i < half; i++) {
            double w = Math.pow(config.ropeTheta(), -2.0 * i / config.headSize());
            double wavelength = 2 * Math.PI / w;
            if (wavelength < highWavelength) {
                out[i] = 1f;
            } else if (wavelength > lowWavelength) {
                out[i] = scaling.factor();
            } else {
                double s = (scaling.originalContextLength() / wavelength - scaling.lowFreqFactor())
                        / (scaling.highFreqFactor() - scaling.lowFreqFactor());
                out[i] = (float) (1.0 / ((1 - s) / scaling.factor() + s));
            }
        }
        return out;
    }

    public int headSize() {
        return headSize;
    }

    /** Writes {@code cos(pos·ω_i)} and {@code sin(pos·ω_i)} to {@code cos[off+i]}, {@code sin[off+i]} for {@code i < headSize/2}. */
    public void angles(int pos, float[] cos, float[] sin, int off) {
        for (int i = 0; i < frequencies.length; i++) {
            double a = pos * frequencies[i];
            cos[off + i] = (float) Math.cos(a);
            sin[off + i] = (float) Math.sin(a);
        }
    }

    /** Rotates {@code heads} consecutive heads of {@code v} starting at {@code off}, with the angles at {@code cos/sin[csOff..]}. */
    public void rotate(float[] v, int off, int heads, float[] cos, float[] sin, int csOff) {
        int half = headSize / 2;
        for (int h = 0; h < heads; h++) {
            int base = off + h * headSize;
            for (int i = 0; i < half; i++) {
                float c = cos[csOff + i];
                float s = sin[csOff + i];
                float x0 = v[base + 2 * i];
                float x1 = v[base + 2 * i + 1];
                v[base + 2 * i] = x0 * c - x1 * s;
                v[base + 2 * i + 1] = x0 * s + x1 * c;
            }
        }
    }
}
