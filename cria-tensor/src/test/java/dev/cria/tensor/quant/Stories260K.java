package dev.cria.tensor.quant;

import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The float weights of Karpathy's stories260K (llama2.c v0 checkpoint in shared/data/models): real trained
 * matrices for the quantizer and kernel tests. Layout from shared/data/README.md: a 7 × int32 header (dim, hidden,
 * layers, heads, kv heads, vocab, seq len), then float32 arrays [out][in] in a fixed order.
 */
record Stories260K(float[] all, List<Tensor> matrices) {

    /** One weight matrix: {@code rows × cols} floats starting at {@code offset} of {@link #all}. */
    record Tensor(String name, int offset, int rows, int cols) {
        float[] values(float[] all) {
            float[] out = new float[rows * cols];
            System.arraycopy(all, offset, out, 0, out.length);
            return out;
        }
    }

    static Stories260K load() throws IOException {
        byte[] bytes = Files.readAllBytes(SharedData.file("models/stories260K/stories260K.bin"));
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int dim = buf.getInt();
        int hidden = buf.getInt();
        int layers = buf.getInt();
        int heads = buf.getInt();
        int kvHeads = buf.getInt();
        int vocab = Math.abs(buf.getInt());
        buf.getInt();
        float[] all = new float[(bytes.length - 28) / 4];
        buf.asFloatBuffer().get(all);
        int kvDim = dim * kvHeads / heads;
        List<Tensor> matrices = new ArrayList<>();
        int at = 0;
        matrices.add(new Tensor("token_embedding", at, vocab, dim));
        at += vocab * dim;
        at += layers * dim; // rms_att
        at = addLayers(matrices, "wq", at, layers, dim, dim);
        at = addLayers(matrices, "wk", at, layers, kvDim, dim);
        at = addLayers(matrices, "wv", at, layers, kvDim, dim);
        at = addLayers(matrices, "wo", at, layers, dim, dim);
        at += layers * dim; // rms_ffn
        at = addLayers(matrices, "w1", at, layers, hidden, dim);
        at = addLayers(matrices, "w2", at, layers, dim, hidden);
        addLayers(matrices, "w3", at, layers, hidden, dim);
        return new Stories260K(all, List.copyOf(matrices));
    }

    private static int addLayers(List<Tensor> out, String name, int at, int layers, int rows, int cols) {
        for (int l = 0; l < layers; l++) {
            out.add(new Tensor(name + "[" + l + "]", at, rows, cols));
            at += rows * cols;
        }
        return at;
    }
}
