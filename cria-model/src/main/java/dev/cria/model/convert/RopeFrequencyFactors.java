package dev.cria.model.convert;

import dev.cria.model.LlamaConfig;

/**
 * Llama 3.1's rope scaling as the per-frequency divisors llama.cpp reads from {@code rope_freqs.weight}
 * (its converter computes them from {@code rope_scaling}; the GGUF keeps no scaling parameters for it).
 *
 * <p>For frequency {@code i < headSize/2}: {@code f = theta^(-2i/headSize)}, wavelength {@code λ = 2π/f}.
 * With {@code L = originalContextLength}: {@code λ < L/highFreqFactor} keeps the frequency (divisor 1);
 * {@code λ > L/lowFreqFactor} divides it by {@code factor}; in between, with
 * {@code s = (L/λ - lowFreqFactor) / (highFreqFactor - lowFreqFactor)}, the divisor is
 * {@code 1 / ((1 - s)/factor + s)}, the reciprocal of the blend of scaled and unscaled frequency.
 */
public final class RopeFrequencyFactors {
    private RopeFrequencyFactors() {
    }

    /** The {@code headSize/2} divisors for {@code config}, or null when it has no rope scaling. */
    public static float[] of(LlamaConfig config) {
        LlamaConfig.RopeScaling s = config.ropeScaling();
        if (s == null) {
            return null;
        }
        if (s.lowFreqFactor() == s.highFreqFactor()) {
            throw new IllegalArgumentException("rope scaling needs low_freq_factor != high_freq_factor, both are " + s.lowFreqFactor());
        }
        int headSize = config.headSize();
        double lowWavelength = s.originalContextLength() / (double) s.lowFreqFactor();
        double highWavelength = s.originalContextLength() / (double) s.highFreqFactor();
        float[] factors = new float[headSize / 2];
        for (int i = 0; i < factors.length; i++) {
            double freq = Math.pow(config.ropeTheta(), -2.0 * i / headSize);
            double wavelength = 2 * Math.PI / freq;
            if (wavelength < highWavelength) {
                factors[i] = 1f;
            } else if (wavelength > lowWavelength) {
                factors[i] = s.factor();
            } else {
                double smooth = (s.originalContextLength() / wavelength - s.lowFreqFactor()) / (s.highFreqFactor() - s.lowFreqFactor());
                factors[i] = (float) (1 / ((1 - smooth) / s.factor() + smooth));
            }
        }
        return factors;
    }
}
