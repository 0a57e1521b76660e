package dev.cria.train.model;

import dev.cria.model.LlamaConfig;
import dev.cria.train.ParameterTensor;
import dev.cria.train.Parameters;
import java.util.Random;

/** The small grouped-query model the model tests share, and its inputs. */
final class ModelFixtures {
    static final int BATCH = 2;
    static final int SEQ = 16;

    private ModelFixtures() {
    }

    /** dim 64, 2 layers, 4 query heads sharing 2 key/value heads, hidden 172, vocabulary 97. */
    static LlamaConfig config(boolean tied) {
        return new LlamaConfig(64, 172, 2, 4, 2, 97, SEQ, 1e-5f, 10000f, null, tied);
    }

    static int[] tokens(long seed, int vocab) {
        Random random = new Random(seed);
        int[] t = new int[BATCH * SEQ];
        for (int i = 0; i < t.length; i++) {
            t[i] = random.nextInt(vocab);
        }
        return t;
    }

    /**
     * Replaces the N(0, 0.02²) initialization by larger weights (N(0, 0.1²), gains 1 ± 0.2) so that every part of the
     * model matters to the loss: with the tiny initial weights attention is nearly uniform and gradients nearly zero,
     * which would make a gradient comparison weak.
     */
    static void spread(Parameters p, long seed) {
        Random random = new Random(seed);
        for (ParameterTensor t : p.tensors()) {
            for (int i = (int) t.offset(); i < t.offset() + t.size(); i++) {
                p.values()[i] = t.decayed() ? (float) (0.1 * random.nextGaussian()) : (float) (1 + 0.2 * random.nextGaussian());
            }
        }
    }
}
