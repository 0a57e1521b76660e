package dev.cria.data.lid;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A fastText supervised model ({@code .bin}, or {@code .ftz} with a product-quantized input matrix) that predicts
 * exactly as fastText 0.9.2 does: same tokens, rows, float sums, losses and probabilities.
 *
 * <p>File layout: int32 magic 793712314, int32 version (≤ 12), the {@linkplain FastTextArgs args}, the
 * {@linkplain FastTextDictionary dictionary}, bool quantized-input, the input matrix (dense or quantized), bool
 * quantized-output, the output matrix (quantized only when both bools are set).
 *
 * <p>Prediction: hidden = (Σ input rows of the line) × (1/rows) in float; then the loss's scores: the hierarchical
 * softmax walks the Huffman tree depth first, adding log(σ + 1e-5) per step and pruning branches already below the
 * k-th best; softmax and the binary-logistic losses score every label. The reported probability is exp(score), so
 * each step's 1e-5 makes it slightly larger than the model's probability.
 */
public final class FastTextClassifier implements LanguageIdentifier {
    static final int MAGIC = 793712314;
    static final int VERSION = 12;

    private final String source;
    private final FastTextArgs args;
    private final FastTextDictionary dictionary;
    private final FastTextMatrix input;
    private final FastTextMatrix output;
    private final boolean quantizedOutputFlag;
    private final float[] inputRows;
    private final int dim;
    private final HuffmanTree tree;
    private final ThreadLocal<Scratch> scratch;

    FastTextClassifier(String source, FastTextArgs args, FastTextDictionary dictionary, FastTextMatrix input,
            FastTextMatrix output, boolean quantizedOutputFlag) {
        this.source = source;
        this.args = args;
        this.dictionary = dictionary;
        this.input = input;
        this.output = output;
        this.quantizedOutputFlag = quantizedOutputFlag;
        this.inputRows = switch (input) {
            case DenseMatrix d -> d.data;
            case QuantizedMatrix q -> q.decoded().data;
        };
        this.dim = input.cols();
        this.tree = args.loss() == FastTextArgs.Loss.HS ? new HuffmanTree(dictionary.labelCounts()) : null;
        this.scratch = ThreadLocal.withInitial(this::newScratch);
    }

    /** Reads a model file written by {@code fasttext supervised} or {@code fasttext quantize} (or by Cria). */
    public static FastTextClassifier load(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new FastTextFormatException(file + ": " + size + " bytes; models over 2 GiB are not supported");
            }
            ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return read(file.toString(), bytes);
        }
    }

    /** Reads a model from {@code bytes}; {@code name} is how errors name it. */
    public static FastTextClassifier read(String name, ByteBuffer bytes) throws FastTextFormatException {
        ModelInput in = new ModelInput(name, bytes);
        int magic = in.int32("magic");
        if (magic != MAGIC) {
            throw in.error(0, "not a fastText model: expected magic " + MAGIC + ", found " + magic);
        }
        int version = in.int32("version");
        if (version > VERSION || version < 11) {
            throw in.error(4, "fastText file format version " + version + " is not supported (11 or 12 expected)");
        }
        long argsAt = in.offset();
        FastTextArgs args = FastTextArgs.read(in, version);
        if (args.model() != FastTextArgs.Kind.SUPERVISED) {
            throw in.error(argsAt, "this is a word-vector model (" + args.model().name().toLowerCase()
                    + "), not a supervised classifier");
        }
        FastTextDictionary dictionary = FastTextDictionary.read(in, args);
        boolean quantizedInput = in.bool("quantized-input flag");
        long inputAt = in.offset();
        FastTextMatrix input = FastTextMatrix.read(in, quantizedInput, "input matrix");
        long expectedRows = dictionary.nwords() + (dictionary.pruned() ? dictionary.prunedBuckets() : args.bucket());
        if (input.rows() != expectedRows || input.cols() != args.dim()) {
            throw in.error(inputAt, "input matrix is " + input.rows() + " x " + input.cols() + ", expected "
                    + expectedRows + " x " + args.dim() + " (nwords + buckets by dim)");
        }
        if (!quantizedInput && dictionary.pruned()) {
            throw in.error(inputAt, "the dictionary is pruned but the input matrix is not quantized: fastText refuses"
                    + " such files (its issue #332)");
        }
        boolean quantizedOutput = in.bool("quantized-output flag");
        long outputAt = in.offset();
        FastTextMatrix output = FastTextMatrix.read(in, quantizedInput && quantizedOutput, "output matrix");
        if (output.cols() != args.dim() || output.rows() != dictionary.nlabels()) {
            throw in.error(outputAt, "output matrix is " + output.rows() + " x " + output.cols() + ", expected "
                    + dictionary.nlabels() + " x " + args.dim() + " (labels by dim)");
        }
        if (in.remaining() != 0) {
            throw in.error(in.offset(), in.remaining() + " unexpected bytes after the output matrix");
        }
        return new FastTextClassifier(name, args, dictionary, input, output, quantizedOutput);
    }

    /** Writes the model in fastText's format (version 12), atomically: a temporary file renamed into place. */
    public void save(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                ModelOutput out = new ModelOutput(os);
                out.int32(MAGIC);
                out.int32(VERSION);
                args.write(out);
                dictionary.write(out);
                out.int8(input instanceof QuantizedMatrix ? 1 : 0);
                input.write(out);
                out.int8(quantizedOutputFlag ? 1 : 0);
                output.write(out);
                out.flush();
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public FastTextArgs args() {
        return args;
    }

    public FastTextDictionary dictionary() {
        return dictionary;
    }

    /** Whether the input matrix is product-quantized (a {@code .ftz}). */
    public boolean quantized() {
        return input instanceof QuantizedMatrix;
    }

    /** The file the model came from, as errors name it. */
    public String source() {
        return source;
    }

    @Override
    public List<Prediction> predict(String text, int k, double threshold) {
        Scratch s = scratch.get();
        byte[] bytes = text.replace('\n', ' ').getBytes(StandardCharsets.UTF_8);
        int n = predictLine(bytes, 0, bytes.length, true, k, (float) threshold, s);
        List<Prediction> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            result.add(new Prediction(dictionary.label(s.top.ids[i]), s.probability(i)));
        }
        return result;
    }

    /** Working memory of one thread: reuse it from line to line so predicting allocates nothing. */
    public Scratch newScratch() {
        return new Scratch(dim, dictionary.nlabels());
    }

    /**
     * Predicts one line of UTF-8 {@code text[start, end)} as {@code fasttext predict-prob} does: {@code endOfLine}
     * says whether a newline ended it (then fastText reads the end-of-sentence token). Returns how many predictions
     * there are, best first: label ids in {@link Scratch#label(int)}, probabilities in {@link Scratch#probability}.
     *
     * @param k at most this many labels; −1 for all
     * @param threshold labels with a lower probability are left out
     */
    public int predictLine(byte[] text, int start, int end, boolean endOfLine, int k, float threshold, Scratch s) {
        if (k == -1) {
            k = dictionary.nlabels();
        } else if (k <= 0) {
            throw new IllegalArgumentException("k must be 1 or more (or -1 for all labels), was " + k);
        }
        dictionary.lineFeatures(text, start, end, endOfLine, s.features);
        s.top.clear(k);
        if (s.features.size == 0 || dictionary.nlabels() == 0) {
            return 0;
        }
        computeHidden(s);
        switch (args.loss()) {
            case HS -> dfs(k, FloatMath.stdLog(threshold), tree.root(), 0f, s);
            case SOFTMAX -> {
                softmax(s);
                findKBest(k, threshold, s);
            }
            case NS, OVA -> {
                float[] out = s.output;
                for (int i = 0; i < out.length; i++) {
                    out[i] = FloatMath.sigmoid(output.dotRow(s.hidden, i));
                }
                findKBest(k, threshold, s);
            }
        }
        s.top.sort();
        return s.top.size;
    }

    private void computeHidden(Scratch s) {
        float[] hidden = s.hidden;
        java.util.Arrays.fill(hidden, 0f);
        int[] rows = s.features.rows;
        int n = s.features.size;
        for (int r = 0; r < n; r++) {
            int base = rows[r] * dim;
            for (int j = 0; j < dim; j++) {
                hidden[j] += inputRows[base + j];
            }
        }
        // fastText multiplies by the float nearest 1/n rather than dividing by n.
        float scale = (float) (1.0 / n);
        for (int j = 0; j < dim; j++) {
            hidden[j] *= scale;
        }
    }

    private void dfs(int k, float logThreshold, int node, float score, Scratch s) {
        if (score < logThreshold) {
            return;
        }
        TopK top = s.top;
        if (top.size == k && score < top.front()) {
            return;
        }
        if (tree.isLeaf(node)) {
            top.offer(score, node, k);
            return;
        }
        float f = output.dotRow(s.hidden, node - tree.leaves);
        f = (float) (1.0 / (1f + FloatMath.expf(-f)));
        dfs(k, logThreshold, tree.left[node], score + FloatMath.stdLog((float) (1.0 - f)), s);
        dfs(k, logThreshold, tree.right[node], score + FloatMath.stdLog(f), s);
    }

    private void softmax(Scratch s) {
        float[] out = s.output;
        for (int i = 0; i < out.length; i++) {
            out[i] = output.dotRow(s.hidden, i);
        }
        float max = out[0];
        for (float v : out) {
            max = Math.max(v, max);
        }
        float z = 0f;
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.exp(out[i] - max);
            z += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= z;
        }
    }

    private static void findKBest(int k, float threshold, Scratch s) {
        float[] out = s.output;
        TopK top = s.top;
        for (int i = 0; i < out.length; i++) {
            if (out[i] < threshold) {
                continue;
            }
            float score = FloatMath.stdLog(out[i]);
            if (top.size == k && score < top.front()) {
                continue;
            }
            top.offer(score, i, k);
        }
    }

    /**
     * Appends {@code fasttext predict-prob}'s output for the {@code n} predictions in {@code s}: {@code label P} pairs
     * separated by spaces, P as C++ prints a float, then a newline (alone when there is no prediction).
     */
    public void appendPredictProb(Scratch s, int n, StringBuilder out) {
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(dictionary.label(s.label(i))).append(' ').append(CFloatFormat.g6(s.probability(i)));
        }
        out.append('\n');
    }

    /** Per-thread buffers of {@link #predictLine}. */
    public static final class Scratch {
        final FastTextDictionary.Features features = new FastTextDictionary.Features();
        final float[] hidden;
        final float[] output;
        final TopK top = new TopK();

        Scratch(int dim, int labels) {
            hidden = new float[dim];
            output = new float[labels];
        }

        /** Label id of prediction {@code i}. */
        public int label(int i) {
            return top.ids[i];
        }

        /** Probability of prediction {@code i}, as fastText reports it: expf of the log score, a float. */
        public float probability(int i) {
            return FloatMath.expf(top.scores[i]);
        }
    }
}
