package dev.cria.train;

/**
 * One named tensor inside the flat parameter buffer of a {@link Parameters}.
 *
 * @param name the Hugging Face Llama name ({@code model.layers.0.self_attn.q_proj.weight}), so checkpoints written
 *     as safetensors load in the HF ecosystem
 * @param offset first element in {@link Parameters#values()} and {@link Parameters#grads()}
 * @param shape dimensions, outermost first ({@code [out, in]} for a linear layer, as PyTorch stores it)
 * @param decayed whether AdamW's decoupled weight decay applies: matrices of linear layers and embeddings are decayed,
 *     RMSNorm gains are not (the convention of GPT-2/llm.c and most LLaMA reproductions)
 */
public record ParameterTensor(String name, long offset, int[] shape, boolean decayed) {

    public long size() {
        long n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
