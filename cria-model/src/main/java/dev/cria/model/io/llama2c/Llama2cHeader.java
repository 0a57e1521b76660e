package dev.cria.model.io.llama2c;

import dev.cria.model.LlamaConfig;
import dev.cria.model.ModelFormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The header of a llama2.c checkpoint, in any of the three layouts of llama2.c's {@code export.py}
 * (all little-endian):
 *
 * <pre>
 * v0 (legacy_export)   int32 dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len       28 bytes
 *                      (vocab_size negative: the classifier is not shared with the embedding)
 * v1 (version1_export) uint32 magic 0x616b3432 ("ak42"), int32 version = 1, the 7 int32 above,
 *                      uint8 shared_classifier, zeros up to byte 256
 * v2 (version2_export) as v1 with version = 2, then int32 group_size at byte 37, zeros up to byte 256
 * </pre>
 *
 * @param version 0, 1 or 2
 * @param sharedClassifier whether the output projection is the token embedding
 * @param groupSize v2's quantization group (values per scale), 0 otherwise
 * @param headerBytes where the weights start (28 or 256)
 */
public record Llama2cHeader(int version, int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize, int seqLen,
                            boolean sharedClassifier, int groupSize, int headerBytes) {

    /** {@code "ak42"} read as a little-endian uint32. */
    public static final int MAGIC = 0x616b3432;
    public static final int V1_HEADER_BYTES = 256;
    public static final int V0_HEADER_BYTES = 28;

    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Reads the header at the start of {@code file}. */
    static Llama2cHeader read(MemorySegment file, Path path) throws ModelFormatException {
        long size = file.byteSize();
        if (size < V0_HEADER_BYTES) {
            throw new ModelFormatException(path, size, "truncated llama2.c checkpoint: " + size + " bytes, the header alone needs "
                    + V0_HEADER_BYTES);
        }
        int first = file.get(I32, 0);
        if (first != MAGIC) {
            int[] h = ints(file, 0);
            int vocab = h[5];
            return checked(new Llama2cHeader(0, h[0], h[1], h[2], h[3], h[4], Math.abs(vocab), h[6], vocab > 0, 0, V0_HEADER_BYTES), path);
        }
        if (size < V1_HEADER_BYTES) {
            throw new ModelFormatException(path, size, "truncated llama2.c checkpoint: " + size + " bytes, a v1/v2 header needs "
                    + V1_HEADER_BYTES);
        }
        int version = file.get(I32, 4);
        if (version != 1 && version != 2) {
            throw new ModelFormatException(path, 4, "llama2.c checkpoint version " + version + " is not supported (expected 1 or 2)");
        }
        int[] h = ints(file, 8);
        byte shared = file.get(ValueLayout.JAVA_BYTE, 36);
        if (shared != 0 && shared != 1) {
            throw new ModelFormatException(path, 36, "shared_classifier flag is " + shared + ", expected 0 or 1");
        }
        int groupSize = version == 2 ? file.get(I32, 37) : 0;
        if (version == 2 && groupSize <= 0) {
            throw new ModelFormatException(path, 37, "group size " + groupSize + " must be positive");
        }
        return checked(new Llama2cHeader(version, h[0], h[1], h[2], h[3], h[4], h[5], h[6], shared == 1, groupSize, V1_HEADER_BYTES), path);
    }

    private static int[] ints(MemorySegment file, long at) {
        int[] h = new int[7];
        for (int i = 0; i < 7; i++) {
            h[i] = file.get(I32, at + 4L * i);
        }
        return h;
    }

    private static Llama2cHeader checked(Llama2cHeader h, Path path) throws ModelFormatException {
        long fieldsAt = h.version == 0 ? 0 : 8;
        if (h.dim <= 0 || h.hiddenDim <= 0 || h.layers <= 0 || h.heads <= 0 || h.kvHeads <= 0 || h.vocabSize <= 0 || h.seqLen <= 0) {
            throw new ModelFormatException(path, fieldsAt, "header " + h.describe() + " has a dimension that is not positive"
                    + (h.version == 0 ? " (is this a llama2.c checkpoint?)" : ""));
        }
        try {
            h.config();
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(path, fieldsAt, "header " + h.describe() + ": " + e.getMessage());
        }
        return h;
    }

    /** The model shape: llama2.c fixes RMSNorm's epsilon at 1e-5 and the rotary base at 10000. */
    public LlamaConfig config() {
        return new LlamaConfig(dim, hiddenDim, layers, heads, kvHeads, vocabSize, seqLen, 1e-5f, 10000f, null, sharedClassifier);
    }

    String describe() {
        return "v" + version + " {dim " + dim + ", hidden " + hiddenDim + ", layers " + layers + ", heads " + heads + ", kv heads " + kvHeads
                + ", vocab " + vocabSize + ", seq_len " + seqLen + (sharedClassifier ? ", shared classifier" : ", own classifier")
                + (version == 2 ? ", group size " + groupSize : "") + "}";
    }
}
