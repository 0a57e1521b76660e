package dev.cria.model.sample;

/** The most likely token: the arg max of the logits, the lowest id on ties (as llama2.c and llama.cpp). */
public final class GreedySampler implements Sampler {

    @Override
    public int sample(float[] logits) {
        return argmax(logits);
    }

    public static int argmax(float[] logits) {
        int best = 0;
        float max = logits[0];
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > max) {
                max = logits[i];
                best = i;
            }
        }
        return best;
    }
}
