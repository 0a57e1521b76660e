package dev.cria.train.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cria.model.LlamaConfig;
import dev.cria.model.LlamaModel;
import dev.cria.model.ModelLoader;
import dev.cria.model.SequenceState;
import dev.cria.model.Transformer;
import dev.cria.model.convert.SyntheticVocabulary;
import dev.cria.tensor.DType;
import dev.cria.tensor.Parallel;
import dev.cria.train.TrainableModel;
import dev.cria.train.model.CheckpointPolicy;
import dev.cria.train.model.TrainableModels;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's own model exported to GGUF and loaded by cria-model's inference: the cross-entropy computed from the
 * loaded model's logits equals the trainer's loss, so the export keeps the weights and the rotary row order right.
 */
class TrainedModelExportTest {

    @Test
    void lossFromTheExportedModelsLogitsEqualsTheTrainersLoss(@TempDir Path dir) throws Exception {
        for (boolean tied : new boolean[] {false, true}) {
            LlamaConfig config = new LlamaConfig(32, 64, 2, 4, 2, 300, 24, 1e-5f, 10000f, null, tied);
            try (Parallel parallel = new Parallel(1);
                 TrainableModel model = TrainableModels.create(config, CheckpointPolicy.SELECTIVE, parallel, 7)) {
                // Move the weights off their initialization so every tensor (gains included) matters.
                SplittableRandom random = new SplittableRandom(1);
                float[] v = model.parameters().values();
                for (int i = 0; i < v.length; i++) {
                    v[i] += (float) (random.nextGaussian() * 0.05);
                }
                int seqLen = 20;
                int[] inputs = new int[seqLen];
                int[] targets = new int[seqLen];
                for (int i = 0; i < seqLen; i++) {
                    inputs[i] = random.nextInt(300);
                    targets[i] = random.nextInt(300);
                }
                double trainerLoss = model.loss(inputs, targets, 1, seqLen);

                Path file = dir.resolve("m-" + tied + ".gguf");
                GgufExport.write(model.parameters(), config, SyntheticVocabulary.create(300), file, DType.F32, "test");
                try (LlamaModel loaded = ModelLoader.load(file, null)) {
                    Transformer t = new Transformer(loaded, parallel);
                    SequenceState state = t.newState();
                    float[] logits = new float[seqLen * 300];
                    t.prefillAll(state, inputs, 0, seqLen, logits, 0);
                    double inferenceLoss = 0;
                    for (int p = 0; p < seqLen; p++) {
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < 300; j++) {
                            max = Math.max(max, logits[p * 300 + j]);
                        }
                        double sum = 0;
                        for (int j = 0; j < 300; j++) {
                            sum += Math.exp(logits[p * 300 + j] - max);
                        }
                        inferenceLoss += max + Math.log(sum) - logits[p * 300 + targets[p]];
                    }
                    // Two float32 forward passes summing in different orders: agreement to about 1e-6 relative.
                    assertEquals(trainerLoss, inferenceLoss, 1e-4 * Math.abs(trainerLoss), "tied embeddings: " + tied);
                }
            }
        }
    }
}
