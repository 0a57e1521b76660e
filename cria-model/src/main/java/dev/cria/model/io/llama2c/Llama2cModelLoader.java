package dev.cria.model.io.llama2c;

import dev.cria.model.LlamaConfig;
import dev.cria.model.LlamaModel;
import dev.cria.model.LlamaWeights;
import dev.cria.model.ModelFormatException;
import dev.cria.tensor.DType;
import dev.cria.tensor.Layouts;
import dev.cria.tensor.Matrices;
import dev.cria.tensor.Matrix;
import dev.cria.tokenizer.Tokenizer;
import dev.cria.tokenizer.TokenizerLoader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads llama2.c checkpoints ({@link Llama2cHeader} describes the three headers). After the header, every
 * matrix is row-major {@code [out][in]} and the layers of one kind follow each other ({@code wq} of every layer,
 * then {@code wk} of every layer, ...):
 *
 * <pre>
 * v0  float32: embedding, rms_att[L], wq[L], wk[L], wv[L], wo[L], rms_ffn[L], w1[L], w2[L], w3[L], rms_final,
 *              2 × seq_len·head_size/2 legacy RoPE values (skipped: the angles are recomputed), [classifier]
 * v1  float32: rms_att[L], rms_ffn[L], rms_final, embedding, wq[L], wk[L], wv[L], wo[L], w1[L], w2[L], w3[L], [classifier]
 * v2  float32 rms_att[L], rms_ffn[L], rms_final; then for embedding, wq[L], wk[L], wv[L], wo[L], w1[L], w2[L], w3[L],
 *     [classifier], each matrix as int8 q[n] followed by float32 s[n / group_size]: value i = q[i] · s[i / group_size]
 *     (groups run over the flattened matrix, as runq.c indexes them)
 * </pre>
 *
 * w1 is the SwiGLU gate, w2 the down projection, w3 the up projection; the classifier is present only when not
 * shared. v0 and v1 matrices stay in the mapped file; v2 matrices are dequantized to float32 on the heap (exactly
 * {@code q · s}, as runq.c's {@code dequantize}), which keeps every product exact at four times the memory of the
 * file — convert to a GGUF Q8_0 model for quantized speed. The file size must match the header exactly.
 */
public final class Llama2cModelLoader {
    private Llama2cModelLoader() {
    }

    /**
     * Loads {@code checkpoint} and, when {@code tokenizer} is not null, its tokenizer ({@code tokenizer.bin} or any
     * format {@link TokenizerLoader} reads). The model owns the file mapping: close it to unmap the file.
     */
    public static LlamaModel load(Path checkpoint, Path tokenizer) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment file;
            try (FileChannel channel = FileChannel.open(checkpoint, StandardOpenOption.READ)) {
                file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            }
            Llama2cHeader header = Llama2cHeader.read(file, checkpoint);
            LlamaWeights weights = new Reader(file, checkpoint, header).weights();
            Tokenizer tok = tokenizer == null ? null : TokenizerLoader.load(tokenizer);
            try {
                return new LlamaModel(header.config(), weights, tok, null, checkpoint.toString(), arena);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(checkpoint, -1, e.getMessage() + (tokenizer == null ? "" : " (tokenizer " + tokenizer + ")"));
            }
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Reads the weights in a header's order, checking first that the file has exactly the bytes the header implies. */
    private static final class Reader {
        private final MemorySegment file;
        private final Path path;
        private final Llama2cHeader h;
        private final LlamaConfig c;
        private long at;

        Reader(MemorySegment file, Path path, Llama2cHeader header) {
            this.file = file;
            this.path = path;
            this.h = header;
            this.c = header.config();
            this.at = header.headerBytes();
        }

        LlamaWeights weights() throws ModelFormatException {
            checkSize();
            return h.version() == 0 ? legacyOrder() : exportOrder();
        }

        /** v0: embedding first, each norm next to its block, the final norm and the RoPE tables last. */
        private LlamaWeights legacyOrder() throws ModelFormatException {
            int layers = c.layers();
            Matrix embedding = matrix(c.vocabSize(), c.dim());
            float[][] attNorm = vectors(layers, c.dim());
            Matrix[][] attention = attentionMatrices();
            float[][] ffnNorm = vectors(layers, c.dim());
            Matrix[][] ffn = ffnMatrices();
            float[] finalNorm = vectors(1, c.dim())[0];
            at += 2L * h.seqLen() * (c.headSize() / 2) * Float.BYTES;
            return assemble(embedding, attNorm, attention, ffnNorm, ffn, finalNorm);
        }

        /** v1 and v2: every norm first, then the embedding and the blocks. */
        private LlamaWeights exportOrder() throws ModelFormatException {
            int layers = c.layers();
            float[][] attNorm = vectors(layers, c.dim());
            float[][] ffnNorm = vectors(layers, c.dim());
            float[] finalNorm = vectors(1, c.dim())[0];
            Matrix embedding = matrix(c.vocabSize(), c.dim());
            Matrix[][] attention = attentionMatrices();
            Matrix[][] ffn = ffnMatrices();
            return assemble(embedding, attNorm, attention, ffnNorm, ffn, finalNorm);
        }

        /** wq[L], wk[L], wv[L], wo[L]. */
        private Matrix[][] attentionMatrices() throws ModelFormatException {
            int dim = c.dim();
            return new Matrix[][] {matrices(dim, dim), matrices(c.kvDim(), dim), matrices(c.kvDim(), dim), matrices(dim, dim)};
        }

        /** w1[L] (gate), w2[L] (down), w3[L] (up). */
        private Matrix[][] ffnMatrices() throws ModelFormatException {
            int dim = c.dim();
            int hidden = c.hiddenDim();
            return new Matrix[][] {matrices(hidden, dim), matrices(dim, hidden), matrices(hidden, dim)};
        }

        private LlamaWeights assemble(Matrix embedding, float[][] attNorm, Matrix[][] att, float[][] ffnNorm, Matrix[][] ffn, float[] finalNorm)
                throws ModelFormatException {
            Matrix output = h.sharedClassifier() ? embedding : matrix(c.vocabSize(), c.dim());
            List<LlamaWeights.Layer> layers = new ArrayList<>(c.layers());
            for (int l = 0; l < c.layers(); l++) {
                layers.add(new LlamaWeights.Layer(attNorm[l], att[0][l], att[1][l], att[2][l], att[3][l], ffnNorm[l], ffn[0][l], ffn[1][l],
                        ffn[2][l]));
            }
            return new LlamaWeights(embedding, layers, finalNorm, output, null);
        }

        private void checkSize() throws ModelFormatException {
            long dim = c.dim();
            long kv = c.kvDim();
            long hidden = c.hiddenDim();
            long layers = c.layers();
            long vocab = c.vocabSize();
            long norms = layers * dim * 2 + dim;
            long[] matrices = {vocab * dim, layers * dim * dim, layers * kv * dim, layers * kv * dim, layers * dim * dim,
                    layers * hidden * dim, layers * dim * hidden, layers * hidden * dim, h.sharedClassifier() ? 0 : vocab * dim};
            long expected = h.headerBytes() + norms * Float.BYTES;
            for (long n : matrices) {
                expected += h.version() == 2 ? n + n / h.groupSize() * Float.BYTES : n * Float.BYTES;
            }
            if (h.version() == 0) {
                expected += 2L * h.seqLen() * (c.headSize() / 2) * Float.BYTES;
            }
            if (file.byteSize() != expected) {
                throw new ModelFormatException(path, Math.min(file.byteSize(), expected), "the file has " + file.byteSize()
                        + " bytes, header " + h.describe() + " implies " + expected
                        + (file.byteSize() < expected ? " (truncated?)" : " (trailing bytes?)"));
            }
        }

        private float[][] vectors(int count, int n) {
            float[][] out = new float[count][n];
            for (int i = 0; i < count; i++) {
                MemorySegment.copy(file, Layouts.F32, at, out[i], 0, n);
                at += (long) n * Float.BYTES;
            }
            return out;
        }

        /** One matrix per layer. */
        private Matrix[] matrices(int rows, int cols) throws ModelFormatException {
            Matrix[] out = new Matrix[c.layers()];
            for (int i = 0; i < out.length; i++) {
                out[i] = matrix(rows, cols);
            }
            return out;
        }

        private Matrix matrix(int rows, int cols) throws ModelFormatException {
            long n = (long) rows * cols;
            if (h.version() != 2) {
                Matrix m = Matrices.of(DType.F32, file.asSlice(at, n * Float.BYTES), rows, cols);
                at += n * Float.BYTES;
                return m;
            }
            return dequantized(rows, cols);
        }

        /** v2: {@code n} int8 values, then {@code n / group} float32 scales. */
        private Matrix dequantized(int rows, int cols) throws ModelFormatException {
            int gs = h.groupSize();
            long n = (long) rows * cols;
            if (n % gs != 0) {
                throw new ModelFormatException(path, at, "a " + rows + "x" + cols + " matrix is not a whole number of groups of " + gs);
            }
            if (n > Integer.MAX_VALUE - 8) {
                throw new ModelFormatException(path, at, "a " + rows + "x" + cols + " matrix is too large to dequantize into one array");
            }
            float[] values = new float[(int) n];
            long scales = at + n;
            for (int g = 0; g < n / gs; g++) {
                float s = file.get(Layouts.F32, scales + 4L * g);
                for (int i = g * gs; i < (g + 1) * gs; i++) {
                    values[i] = file.get(ValueLayout.JAVA_BYTE, at + i) * s;
                }
            }
            at = scales + n / gs * Float.BYTES;
            return Matrices.of(values, rows, cols);
        }
    }
}
