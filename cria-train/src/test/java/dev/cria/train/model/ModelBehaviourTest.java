package dev.cria.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.model.LlamaConfig;
import dev.cria.tensor.Parallel;
import dev.cria.train.NonFiniteException;
import dev.cria.train.ParameterTensor;
import dev.cria.train.Parameters;
import dev.cria.train.TrainableModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layout, initialization, memory accounting and failure reporting of the trainable model. */
class ModelBehaviourTest {
    private static final LlamaConfig CONFIG = ModelFixtures.config(false);

    @Test
    void parametersCarryHuggingFaceNamesShapesAndDecayFlags() {
        Parameters p = new ParameterLayout(CONFIG).initialize(1);
        List<String> names = p.tensors().stream().map(ParameterTensor::name).toList();
        assertEquals(List.of("model.embed_tokens.weight",
                "model.layers.0.input_layernorm.weight", "model.layers.0.self_attn.q_proj.weight",
                "model.layers.0.self_attn.k_proj.weight", "model.layers.0.self_attn.v_proj.weight",
                "model.layers.0.self_attn.o_proj.weight", "model.layers.0.post_attention_layernorm.weight",
                "model.layers.0.mlp.gate_proj.weight", "model.layers.0.mlp.up_proj.weight", "model.layers.0.mlp.down_proj.weight"),
                names.subList(0, 10));
        assertEquals(List.of("model.norm.weight", "lm_head.weight"), names.subList(names.size() - 2, names.size()));
        assertEquals(List.of(32, 64), List.of(p.tensor("model.layers.1.self_attn.k_proj.weight").shape()[0],
                p.tensor("model.layers.1.self_attn.k_proj.weight").shape()[1]));
        assertEquals(List.of(64, 172), List.of(p.tensor("model.layers.1.mlp.down_proj.weight").shape()[0],
                p.tensor("model.layers.1.mlp.down_proj.weight").shape()[1]));
        assertFalse(p.tensor("model.norm.weight").decayed());
        assertTrue(p.tensor("model.layers.0.self_attn.q_proj.weight").decayed());
        long total = p.tensors().stream().mapToLong(ParameterTensor::size).sum();
        assertEquals(p.count(), total);
        // tied: no lm_head
        Parameters tied = new ParameterLayout(ModelFixtures.config(true)).initialize(1);
        assertEquals(p.count() - 97 * 64, tied.count());
        assertThrows(IllegalArgumentException.class, () -> tied.tensor("lm_head.weight"));
    }

    @Test
    void initializationIsSeededNormalWithStandardDeviationTwoHundredths() {
        Parameters a = new ParameterLayout(CONFIG).initialize(7);
        Parameters b = new ParameterLayout(CONFIG).initialize(7);
        assertTrue(java.util.Arrays.equals(a.values(), b.values()));
        ParameterTensor q = a.tensor("model.layers.0.self_attn.q_proj.weight");
        double sum = 0;
        double sq = 0;
        for (int i = (int) q.offset(); i < q.offset() + q.size(); i++) {
            sum += a.values()[i];
            sq += a.values()[i] * a.values()[i];
        }
        double mean = sum / q.size();
        assertEquals(0, mean, 0.002);
        assertEquals(0.02, Math.sqrt(sq / q.size() - mean * mean), 0.001);
        ParameterTensor norm = a.tensor("model.layers.0.input_layernorm.weight");
        for (int i = (int) norm.offset(); i < norm.offset() + norm.size(); i++) {
            assertEquals(1f, a.values()[i]);
        }
    }

    /**
     * Floats kept per policy, for N = B·T tokens, L layers, C = dim, K = kvDim, F = hidden, H = heads (derived in
     * docs/backward.md): none N·[L(6C + 2K + 3F + H + 2) + C]; selective N·[L(4C + 2K + 2F + H) + C]; full N·C·(L + 1);
     * reversible 2·N·C.
     */
    @Test
    void activationBytesFollowTheFormulaOfEachPolicy() {
        long n = ModelFixtures.BATCH * ModelFixtures.SEQ;
        long c = CONFIG.dim(), k = CONFIG.kvDim(), f = CONFIG.hiddenDim(), h = CONFIG.heads(), l = CONFIG.layers();
        long[] expected = {
            4 * n * (l * (6 * c + 2 * k + 3 * f + h + 2) + c),
            4 * n * (l * (4 * c + 2 * k + 2 * f + h) + c),
            4 * n * c * (l + 1),
            4 * 2 * n * c,
        };
        int[] inputs = ModelFixtures.tokens(1, CONFIG.vocabSize());
        try (Parallel parallel = new Parallel(1)) {
            for (CheckpointPolicy policy : CheckpointPolicy.values()) {
                try (TrainableModel model = TrainableModels.create(CONFIG, policy, parallel, 1)) {
                    assertEquals(0, model.activationBytes());
                    model.forwardBackward(inputs, inputs, ModelFixtures.BATCH, ModelFixtures.SEQ);
                    assertEquals(expected[policy.ordinal()], model.activationBytes(), policy.optionName());
                }
            }
        }
    }

    @Test
    void aNonFiniteActivationNamesTheLayerAndBranch() {
        try (Parallel parallel = new Parallel(1); TrainableModel model = TrainableModels.create(CONFIG, CheckpointPolicy.SELECTIVE, parallel, 1)) {
            Parameters p = model.parameters();
            p.values()[(int) p.tensor("model.layers.1.mlp.down_proj.weight").offset()] = Float.NaN;
            int[] inputs = ModelFixtures.tokens(1, CONFIG.vocabSize());
            var e = assertThrows(NonFiniteException.class, () -> model.forwardBackward(inputs, inputs, ModelFixtures.BATCH, ModelFixtures.SEQ));
            assertTrue(e.where().startsWith("layer 1 feed-forward output"), e.where());
        }
    }

    @Test
    void anInfiniteLossIsReportedAsTheLoss() {
        try (Parallel parallel = new Parallel(1); TrainableModel model = TrainableModels.create(CONFIG, CheckpointPolicy.NONE, parallel, 1)) {
            Parameters p = model.parameters();
            p.values()[(int) p.tensor("lm_head.weight").offset()] = Float.POSITIVE_INFINITY;
            int[] inputs = ModelFixtures.tokens(1, CONFIG.vocabSize());
            var e = assertThrows(NonFiniteException.class, () -> model.loss(inputs, inputs, ModelFixtures.BATCH, ModelFixtures.SEQ));
            assertTrue(e.where().startsWith("the loss"), e.where());
        }
    }

    @Test
    void policyNamesParseAsTheOptionSpellsThem() {
        assertEquals(CheckpointPolicy.SELECTIVE, CheckpointPolicy.parse("selective"));
        assertEquals(CheckpointPolicy.REVERSIBLE, CheckpointPolicy.parse("Reversible"));
        var e = assertThrows(IllegalArgumentException.class, () -> CheckpointPolicy.parse("some"));
        assertEquals("unknown checkpoint policy 'some': expected none, selective, full or reversible", e.getMessage());
    }
}
