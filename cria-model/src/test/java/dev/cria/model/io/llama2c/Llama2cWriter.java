package dev.cria.model.io.llama2c;

import dev.cria.model.LlamaConfig;
import dev.cria.model.LlamaWeights;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes llama2.c checkpoints from their specification in llama2.c's export.py (legacy_export, version1_export,
 * version2_export), for tests: the loader must read back what the exporter would have written.
 */
final class Llama2cWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private Llama2cWriter() {
    }

    static void v0(Path file, LlamaConfig c, LlamaWeights w) throws IOException {
        Llama2cWriter o = new Llama2cWriter();
        boolean shared = c.tiedEmbeddings();
        o.ints(c.dim(), c.hiddenDim(), c.layers(), c.heads(), c.kvHeads(), shared ? c.vocabSize() : -c.vocabSize(), c.contextLength());
        o.floats(w.tokenEmbedding().toFloatArray());
        w.layers().forEach(l -> o.floats(l.attentionNorm()));
        w.layers().forEach(l -> o.floats(l.wq().toFloatArray()));
        w.layers().forEach(l -> o.floats(l.wk().toFloatArray()));
        w.layers().forEach(l -> o.floats(l.wv().toFloatArray()));
        w.layers().forEach(l -> o.floats(l.wo().toFloatArray()));
        w.layers().forEach(l -> o.floats(l.ffnNorm()));
        w.layers().forEach(l -> o.floats(l.w1().toFloatArray()));
        w.layers().forEach(l -> o.floats(l.w2().toFloatArray()));
        w.layers().forEach(l -> o.floats(l.w3().toFloatArray()));
        o.floats(w.finalNorm());
        // freqs_cos and freqs_sin: seq_len × head_size/2 each; their values do not matter to readers that recompute them.
        float[] rope = new float[c.contextLength() * c.headSize() / 2];
        java.util.Arrays.fill(rope, Float.NaN);
        o.floats(rope);
        o.floats(rope);
        if (!shared) {
            o.floats(w.output().toFloatArray());
        }
        Files.write(file, o.out.toByteArray());
    }

    static void v1(Path file, LlamaConfig c, LlamaWeights w) throws IOException {
        Llama2cWriter o = new Llama2cWriter();
        o.header(1, c, 0);
        for (float[] v : norms(w)) {
            o.floats(v);
        }
        for (float[] m : matrices(c, w)) {
            o.floats(m);
        }
        Files.write(file, o.out.toByteArray());
    }

    /** version2_export: norms in f32, then per matrix its int8 values followed by its f32 group scales. */
    static void v2(Path file, LlamaConfig c, LlamaWeights w, int groupSize) throws IOException {
        Llama2cWriter o = new Llama2cWriter();
        o.header(2, c, groupSize);
        for (float[] v : norms(w)) {
            o.floats(v);
        }
        for (float[] m : matrices(c, w)) {
            Quantized q = quantize(m, groupSize);
            o.out.writeBytes(q.values());
            o.floats(q.scales());
        }
        Files.write(file, o.out.toByteArray());
    }

    /** export.py's quantize_q80: per group, scale = max|w| / 127 and q = round(w / scale). */
    record Quantized(byte[] values, float[] scales) {
        float[] dequantize(int groupSize) {
            float[] out = new float[values.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = values[i] * scales[i / groupSize];
            }
            return out;
        }
    }

    static Quantized quantize(float[] w, int groupSize) {
        byte[] q = new byte[w.length];
        float[] s = new float[w.length / groupSize];
        for (int g = 0; g < s.length; g++) {
            float max = 0;
            for (int i = g * groupSize; i < (g + 1) * groupSize; i++) {
                max = Math.max(max, Math.abs(w[i]));
            }
            s[g] = max / 127f;
            for (int i = g * groupSize; i < (g + 1) * groupSize; i++) {
                q[i] = (byte) Math.round(w[i] / s[g]);
            }
        }
        return new Quantized(q, s);
    }

    private static List<float[]> norms(LlamaWeights w) {
        List<float[]> out = new ArrayList<>();
        w.layers().forEach(l -> out.add(l.attentionNorm()));
        w.layers().forEach(l -> out.add(l.ffnNorm()));
        out.add(w.finalNorm());
        return out;
    }

    /** The matrices in the v1/v2 order: embedding, wq, wk, wv, wo, w1, w2, w3 of every layer, the classifier when not shared. */
    static List<float[]> matrices(LlamaConfig c, LlamaWeights w) {
        List<float[]> out = new ArrayList<>();
        out.add(w.tokenEmbedding().toFloatArray());
        w.layers().forEach(l -> out.add(l.wq().toFloatArray()));
        w.layers().forEach(l -> out.add(l.wk().toFloatArray()));
        w.layers().forEach(l -> out.add(l.wv().toFloatArray()));
        w.layers().forEach(l -> out.add(l.wo().toFloatArray()));
        w.layers().forEach(l -> out.add(l.w1().toFloatArray()));
        w.layers().forEach(l -> out.add(l.w2().toFloatArray()));
        w.layers().forEach(l -> out.add(l.w3().toFloatArray()));
        if (!c.tiedEmbeddings()) {
            out.add(w.output().toFloatArray());
        }
        return out;
    }

    /** magic "ak42", version, the 7 ints, shared flag, [group size], zeros to 256 bytes. */
    private void header(int version, LlamaConfig c, int groupSize) {
        ByteBuffer h = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0x616b3432).putInt(version);
        h.putInt(c.dim()).putInt(c.hiddenDim()).putInt(c.layers()).putInt(c.heads()).putInt(c.kvHeads()).putInt(c.vocabSize())
                .putInt(c.contextLength());
        h.put((byte) (c.tiedEmbeddings() ? 1 : 0));
        if (version == 2) {
            h.putInt(groupSize);
        }
        out.writeBytes(h.array());
    }

    private void ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        out.writeBytes(b.array());
    }

    private void floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        out.writeBytes(b.array());
    }
}
