package dev.cria.model.io.hf;

/** Tensor names of transformers' {@code LlamaForCausalLM} state dict; every matrix is {@code [out_features, in_features]}. */
public final class HfLlamaNames {
    public static final String EMBED_TOKENS = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    public static final String ATTENTION_NORM = "input_layernorm.weight";
    public static final String FFN_NORM = "post_attention_layernorm.weight";
    public static final String Q_PROJ = "self_attn.q_proj.weight";
    public static final String K_PROJ = "self_attn.k_proj.weight";
    public static final String V_PROJ = "self_attn.v_proj.weight";
    public static final String O_PROJ = "self_attn.o_proj.weight";
    public static final String GATE_PROJ = "mlp.gate_proj.weight";
    public static final String UP_PROJ = "mlp.up_proj.weight";
    public static final String DOWN_PROJ = "mlp.down_proj.weight";

    /** Buffers older transformers versions saved with the weights; they hold nothing a loader needs. */
    static final String ROTARY_INV_FREQ_SUFFIX = ".rotary_emb.inv_freq";

    private HfLlamaNames() {
    }

    /** {@code model.layers.<layer>.<suffix>}. */
    public static String layer(int layer, String suffix) {
        return "model.layers." + layer + "." + suffix;
    }
}
