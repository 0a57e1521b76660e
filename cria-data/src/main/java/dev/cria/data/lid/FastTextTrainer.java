package dev.cria.data.lid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleConsumer;

/**
 * Supervised fastText training ({@code fasttext supervised}): a linear model over the average of word, character
 * n-gram and word n-gram vectors, trained by SGD with a learning rate decaying linearly to zero; Hogwild threads share
 * the weights without locks. The model it returns is a {@link FastTextClassifier} that fastText itself can load.
 *
 * <p>Input: one example per line, labels as tokens starting with {@code __label__} anywhere in the line, the rest
 * words. Per example one label is drawn at random as the target (all labels for {@code ova}); the gradient of the
 * hidden vector is divided by the number of input rows before it is added to each of them, as fastText does.
 */
public final class FastTextTrainer {
    private final TrainingOptions options;

    public FastTextTrainer(TrainingOptions options) {
        this.options = options;
    }

    /** Trains on {@code file}; {@code progress} (may be null) hears the fraction done now and then. */
    public FastTextClassifier train(Path file, DoubleConsumer progress) throws IOException {
        byte[] text = Files.readAllBytes(file);
        FastTextDictionary dictionary = buildDictionary(file.toString(), text);
        if (dictionary.nlabels() == 0) {
            throw new IOException(file + ": no labels (tokens starting with __label__) in the training file");
        }
        FastTextArgs args = args();
        int dim = options.dim();
        DenseMatrix input = new DenseMatrix(Math.addExact(dictionary.nwords(), args.bucket()), dim);
        SplittableRandom init = new SplittableRandom(options.seed());
        float bound = 1.0f / dim;
        for (int i = 0; i < input.data.length; i++) {
            input.data[i] = (float) (init.nextDouble() * 2 * bound - bound);
        }
        DenseMatrix output = new DenseMatrix(dictionary.nlabels(), dim);
        int[] lineStarts = lineStarts(text);
        Shared shared = new Shared(text, lineStarts, dictionary, input, output,
                args.loss() == FastTextArgs.Loss.HS ? new HuffmanTree(dictionary.labelCounts()) : null,
                (long) options.epoch() * dictionary.ntokens(), progress);
        if (options.threads() == 1) {
            new Worker(shared, 0).run();
        } else {
            try (ExecutorService pool = Executors.newFixedThreadPool(options.threads())) {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < options.threads(); t++) {
                    futures.add(pool.submit(new Worker(shared, t)));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("training interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException("training failed: " + e.getCause(), e.getCause());
            }
        }
        return new FastTextClassifier(file.toString(), args, dictionary, input, output, false);
    }

    private FastTextArgs args() {
        return new FastTextArgs(options.dim(), 5, options.epoch(), options.minCount(), 5, options.wordNgrams(),
                options.loss(), FastTextArgs.Kind.SUPERVISED, options.effectiveBucket(), options.minn(), options.maxn(),
                options.lrUpdateRate(), 1e-4);
    }

    /**
     * Counts every token as fastText's reader yields them (each newline is an end-of-sentence token {@code </s>}),
     * keeps words seen at least minCount times and labels at least minCountLabel times, and orders them as fastText
     * does: words before labels, each by decreasing count (ties by first appearance).
     */
    FastTextDictionary buildDictionary(String name, byte[] text) throws IOException {
        Map<Token, long[]> counts = new HashMap<>();
        List<Token> order = new ArrayList<>();
        long ntokens = 0;
        int i = 0;
        while (i < text.length) {
            byte c = text[i];
            if (c == '\n') {
                ntokens++;
                count(counts, order, new Token(FastTextDictionary.EOS));
                i++;
                continue;
            }
            if (FastTextDictionary.isSpace(c)) {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length && !FastTextDictionary.isSpace(text[i])) {
                i++;
            }
            ntokens++;
            count(counts, order, new Token(Arrays.copyOfRange(text, start, i)));
        }
        List<Token> kept = new ArrayList<>();
        for (Token t : order) {
            boolean label = FastTextDictionary.isLabel(t.bytes, 0, t.bytes.length);
            long n = counts.get(t)[0];
            if (n >= (label ? options.minCountLabel() : options.minCount())) {
                kept.add(t);
            }
        }
        // A stable sort keeps first-appearance order among equal counts.
        kept.sort(Comparator.comparing((Token t) -> FastTextDictionary.isLabel(t.bytes, 0, t.bytes.length))
                .thenComparing(t -> -counts.get(t)[0]));
        byte[][] entries = new byte[kept.size()][];
        long[] entryCounts = new long[kept.size()];
        int nwords = 0;
        for (int e = 0; e < kept.size(); e++) {
            entries[e] = kept.get(e).bytes;
            entryCounts[e] = counts.get(kept.get(e))[0];
            if (!FastTextDictionary.isLabel(entries[e], 0, entries[e].length)) {
                nwords++;
            }
        }
        if (entries.length == 0) {
            throw new IOException(name + ": empty vocabulary; try a smaller minCount");
        }
        return new FastTextDictionary(args(), entries, entryCounts, nwords, ntokens, -1, null);
    }

    private static void count(Map<Token, long[]> counts, List<Token> order, Token t) {
        long[] n = counts.get(t);
        if (n == null) {
            counts.put(t, new long[] {1});
            order.add(t);
        } else {
            n[0]++;
        }
    }

    private static int[] lineStarts(byte[] text) {
        int lines = 0;
        for (byte b : text) {
            if (b == '\n') {
                lines++;
            }
        }
        boolean tail = text.length > 0 && text[text.length - 1] != '\n';
        int[] starts = new int[lines + (tail ? 1 : 0) + 1];
        int n = 0;
        starts[n++] = 0;
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\n') {
                starts[n++] = i + 1;
            }
        }
        if (tail) {
            starts[n] = text.length + 1;
        }
        return starts;
    }

    private record Token(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Token t && Arrays.equals(bytes, t.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /** What all workers share: the text, the weights (updated without locks) and the token count. */
    private record Shared(byte[] text, int[] lineStarts, FastTextDictionary dictionary, DenseMatrix input,
            DenseMatrix output, HuffmanTree tree, long totalTokens, DoubleConsumer progress, AtomicLong tokenCount) {
        Shared(byte[] text, int[] lineStarts, FastTextDictionary dictionary, DenseMatrix input, DenseMatrix output,
                HuffmanTree tree, long totalTokens, DoubleConsumer progress) {
            this(text, lineStarts, dictionary, input, output, tree, totalTokens, progress, new AtomicLong());
        }

        int lines() {
            return lineStarts.length - 1;
        }
    }

    private final class Worker implements Runnable {
        private final Shared shared;
        private final int id;
        private final SplittableRandom random;
        private final FastTextDictionary.Features features = new FastTextDictionary.Features();
        private final FastTextDictionary.Features labels = new FastTextDictionary.Features();
        private final float[] hidden = new float[options.dim()];
        private final float[] grad = new float[options.dim()];
        private final float[] scores;

        Worker(Shared shared, int id) {
            this.shared = shared;
            this.id = id;
            this.random = new SplittableRandom(options.seed() + 1 + id);
            this.scores = new float[shared.dictionary().nlabels()];
        }

        @Override
        public void run() {
            int lines = shared.lines();
            int line = (int) ((long) id * lines / options.threads());
            long local = 0;
            long reported = -1;
            AtomicLong tokenCount = shared.tokenCount();
            while (tokenCount.get() < shared.totalTokens()) {
                float progress = (float) tokenCount.get() / shared.totalTokens();
                float lr = (float) (options.lr() * (1.0 - progress));
                int start = shared.lineStarts()[line];
                int end = Math.min(shared.lineStarts()[line + 1] - 1, shared.text().length);
                shared.dictionary().trainingFeatures(shared.text(), start, end, features, labels);
                local += tokens(shared.text(), start, end);
                if (labels.size > 0 && features.size > 0) {
                    update(lr);
                }
                if (local > options.lrUpdateRate()) {
                    long done = tokenCount.addAndGet(local);
                    local = 0;
                    long percent = done * 100 / shared.totalTokens();
                    if (id == 0 && shared.progress() != null && percent != reported) {
                        reported = percent;
                        shared.progress().accept(Math.min(1.0, (double) done / shared.totalTokens()));
                    }
                }
                line = line + 1 == lines ? 0 : line + 1;
            }
        }

        /** Tokens fastText counts for a line: its whitespace-separated tokens plus the end-of-sentence token. */
        private static long tokens(byte[] text, int start, int end) {
            long n = 1;
            boolean inToken = false;
            for (int i = start; i < end; i++) {
                boolean space = FastTextDictionary.isSpace(text[i]);
                if (!space && !inToken) {
                    n++;
                }
                inToken = !space;
            }
            return n;
        }

        private void update(float lr) {
            DenseMatrix in = shared.input();
            DenseMatrix out = shared.output();
            int[] rows = features.rows;
            int n = features.size;
            Arrays.fill(hidden, 0f);
            for (int r = 0; r < n; r++) {
                in.addRowTo(hidden, rows[r]);
            }
            float scale = (float) (1.0 / n);
            for (int j = 0; j < hidden.length; j++) {
                hidden[j] *= scale;
            }
            Arrays.fill(grad, 0f);
            int target = labels.rows[random.nextInt(labels.size)];
            switch (options.loss()) {
                case SOFTMAX -> softmaxStep(out, target, lr);
                case HS -> {
                    HuffmanTree tree = shared.tree();
                    for (int node = target; tree.parent[node] != -1; node = tree.parent[node]) {
                        logisticStep(out, tree.parent[node] - tree.leaves, tree.binary[node], lr);
                    }
                }
                case OVA -> {
                    for (int i = 0; i < scores.length; i++) {
                        logisticStep(out, i, contains(labels, i), lr);
                    }
                }
                case NS -> throw new IllegalStateException("ns is rejected by TrainingOptions");
            }
            for (int j = 0; j < grad.length; j++) {
                grad[j] *= scale;
            }
            for (int r = 0; r < n; r++) {
                in.addToRow(grad, rows[r], 1f);
            }
        }

        /** Softmax cross-entropy: for every label i, α = lr·(1[i = target] − p_i); grad += α·w_i; w_i += α·hidden. */
        private void softmaxStep(DenseMatrix out, int target, float lr) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < scores.length; i++) {
                scores[i] = out.dotRow(hidden, i);
                max = Math.max(max, scores[i]);
            }
            float z = 0f;
            for (int i = 0; i < scores.length; i++) {
                scores[i] = (float) Math.exp(scores[i] - max);
                z += scores[i];
            }
            for (int i = 0; i < scores.length; i++) {
                float alpha = lr * ((i == target ? 1f : 0f) - scores[i] / z);
                addRowTo(grad, out, i, alpha);
                out.addToRow(hidden, i, alpha);
            }
        }

        /** One binary logistic unit: α = lr·(label − σ(w·hidden)); grad += α·w; w += α·hidden. */
        private void logisticStep(DenseMatrix out, int row, boolean label, float lr) {
            float score = FloatMath.sigmoid(out.dotRow(hidden, row));
            float alpha = lr * ((label ? 1f : 0f) - score);
            addRowTo(grad, out, row, alpha);
            out.addToRow(hidden, row, alpha);
        }

        private static void addRowTo(float[] x, DenseMatrix m, int row, float a) {
            int base = row * m.cols();
            for (int j = 0; j < x.length; j++) {
                x[j] += a * m.data[base + j];
            }
        }

        private static boolean contains(FastTextDictionary.Features labels, int label) {
            for (int i = 0; i < labels.size; i++) {
                if (labels.rows[i] == label) {
                    return true;
                }
            }
            return false;
        }
    }
}
