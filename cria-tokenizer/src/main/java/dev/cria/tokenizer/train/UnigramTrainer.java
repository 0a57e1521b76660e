package dev.cria.tokenizer.train;

import dev.cria.tokenizer.spm.TrainerSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * SentencePiece's unigram language model trainer (unigram_model_trainer.cc, spm_train's default model type),
 * reproduced step for step.
 *
 * <ol>
 *   <li>Seeds ({@link UnigramSeeds}): every character and the most frequent substrings of the whole sentences,
 *       scored {@code log(count x length / total)}. Only then are sentences split into words (with
 *       split_by_whitespace), so seeds are counted in context.</li>
 *   <li>EM, {@code num_sub_iterations} times: the E-step sums each piece's expected count over all segmentations
 *       of every word (forward-backward on its lattice, weighted by the word's frequency); the M-step drops pieces
 *       expected fewer than 0.5 times and sets {@code score = digamma(count) - digamma(total)}, the variational
 *       Bayes update that acts as a sparse prior.</li>
 *   <li>Unless the vocabulary is down to {@code 1.1 x vocab_size}: prune. For each piece, its second-best
 *       segmentation (by its own lattice) is the alternative it would be replaced with; the loss of removing it is
 *       {@code F x (log p(piece) - sum over alternatives of log p'(alt))}, from Viterbi frequencies, where {@code p'}
 *       moves the piece's frequency onto the alternatives. Pieces off every Viterbi path or split by their own
 *       best path go; pieces without an alternative stay; of the rest, the highest losses are kept so that
 *       {@code max(1.1 x vocab_size, shrinking_factor x size)} pieces remain.</li>
 *   <li>Finalize: the required characters (a missing one gets the lowest score plus 0.0001 per earlier missing one),
 *       then the best-scoring pieces up to the vocabulary size, all sorted by score, then by piece.</li>
 * </ol>
 *
 * <p>Floating point follows the library operation by operation: float sums and scores, logarithms, exponentials
 * and digamma in double. Its E-step gives each of {@code num_threads} threads every {@code num_threads}-th word
 * and adds the threads' float sums at the end, so its model depends slightly on the thread count. Here the work is
 * split in ranges across threads but every sum is added in word order, as the library does with one thread: the
 * result is the same for any {@code num_threads} and equals spm_train's with {@code --num_threads=1}.
 *
 * <p>The library counts unknown characters (U+2585, replaced rare characters) as piece 0 in its lattices; kept.
 *
 * <p>Without split_by_whitespace the library runs EM over every input line in file order; {@link TrainingCorpus}
 * then keeps the sentences in that order (one per line, empty ones removed the library's way), so the sums match.
 * One input is not reproduced bit for bit: in tsv input two lines that become equal after rare characters are
 * replaced count once in the seed suffix array instead of twice. Everything else, every option included, matches
 * spm_train exactly.
 */
final class UnigramTrainer {
    /** The SentencePiece release whose trainer is reproduced. */
    enum Compat {
        /** 0.1.99 and later, including 0.2.x: the default. */
        SENTENCEPIECE_0_2,
        /**
         * 0.1.97 and earlier (Debian 12's spm_train): the prune loss spreads a removed piece's frequency over all
         * pieces ({@code alternatives.size()} instead of {@code alternatives[i].size()}), seed_sentencepiece_size
         * also counts the characters, tsv input is not doubled for seeding, and pretokenization_delimiter does not
         * exist.
         */
        SENTENCEPIECE_0_1_97
    }

    /** RunMStep kExpectedFrequencyThreshold: pieces expected fewer times are dropped. */
    private static final float EXPECTED_FREQUENCY_THRESHOLD = 0.5f;
    /** FinalizeSentencePieces kMinScorePenaltyDelta. */
    private static final float MIN_SCORE_PENALTY_DELTA = 0.0001f;
    /** Characters per E-step work unit: big enough to amortize scheduling, small enough to bound buffers. */
    private static final int CHARS_PER_TASK = 1 << 15;

    private final TrainerSpec spec;
    private final PieceRules rules;
    private final Compat compat;
    private final TrainingListener log;
    private final int threads;

    /** The training sentences (words with split_by_whitespace) with their frequencies, in the library's order. */
    private int[][] sentences;
    private long[] freqs;
    private int[] taskStarts;
    /** Work buffers: one lattice per worker thread, one chunk per task in flight. */
    private final ThreadLocal<UnigramLattice> lattices = ThreadLocal.withInitial(UnigramLattice::new);
    private Chunk[] chunks;

    UnigramTrainer(TrainerSpec spec, TrainingListener log) {
        this(spec, Compat.SENTENCEPIECE_0_2, log);
    }

    UnigramTrainer(TrainerSpec spec, Compat compat, TrainingListener log) {
        verify(spec, compat);
        this.spec = spec;
        this.rules = new PieceRules(spec);
        this.compat = compat;
        this.log = log;
        this.threads = spec.numThreads();
    }

    /** The unigram options' ranges (VerifySpec), checked before any text is read. */
    static void verify(TrainerSpec spec) {
        verify(spec, Compat.SENTENCEPIECE_0_2);
    }

    private static void verify(TrainerSpec spec, Compat compat) {
        check(spec.numThreads() >= 1 && spec.numThreads() <= 1024, "num_threads must be in [1, 1024], got " + spec.numThreads());
        int sub = intOption(spec, "num_sub_iterations");
        check(sub >= 1 && sub <= 10, "num_sub_iterations must be in [1, 10], got " + sub);
        int seeds = intOption(spec, "seed_sentencepiece_size");
        check(seeds >= 1000 && seeds <= 5_000_000, "seed_sentencepiece_size must be in [1000, 5000000], got " + seeds);
        float shrink = floatOption(spec, "shrinking_factor");
        check(shrink >= 0.5f && shrink <= 0.95f, "shrinking_factor must be in [0.5, 0.95], got " + shrink);
        check(stringOption(spec, "seed_sentencepieces_file").isEmpty(),
                "seed_sentencepieces_file is not supported; seeds are always taken from the training text");
        check(compat == Compat.SENTENCEPIECE_0_2 || spec.pretokenizationDelimiter().isEmpty(),
                "pretokenization_delimiter does not exist in SentencePiece 0.1.97");
    }

    private static int intOption(TrainerSpec spec, String name) {
        return (Integer) spec.values().get(name);
    }

    private static float floatOption(TrainerSpec spec, String name) {
        return (Float) spec.values().get(name);
    }

    private static String stringOption(TrainerSpec spec, String name) {
        return (String) spec.values().get(name);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Learns at most {@code vocabSize} pieces (vocab_size minus the meta pieces) and returns them in vocabulary
     * order with their scores. The corpus must be loaded with split_by_whitespace=false (distinct whole sentences:
     * the seeds need them) and without pretokenization_delimiter (this trainer splits seeds at it and removes it).
     */
    List<BpeTrainer.Piece> train(TrainingCorpus corpus, int vocabSize) {
        int meta = spec.vocabSize() - vocabSize;
        if (corpus.requiredChars.length > vocabSize) {
            throw new IllegalArgumentException("Vocabulary size is smaller than required_chars. " + spec.vocabSize() + " vs "
                    + (corpus.requiredChars.length + meta) + ". Increase vocab_size or decrease character_coverage.");
        }
        check(vocabSize > 0, "vocab_size (" + spec.vocabSize() + ") leaves no room after the " + meta + " meta pieces");
        UnigramModel model = seedAndSplit(corpus);
        log.log("Using " + sentences.length + " sentences for EM training");
        chunks = new Chunk[window()];
        Arrays.setAll(chunks, i -> new Chunk());
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "cria-unigram");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            int desired = (int) (spec.vocabSize() * 1.1);
            int subIterations = intOption(spec, "num_sub_iterations");
            int seeds = model.size();
            while (true) {
                for (int iter = 0; iter < subIterations; iter++) {
                    EStep e = eStep(model, pool);
                    model = mStep(model, e.expected);
                    log.log("EM sub_iter=" + iter + " size=" + model.size() + " obj=" + CFloat.format(e.objective)
                            + " num_tokens=" + e.tokens + " num_tokens/piece=" + CFloat.format((float) (1.0 * e.tokens / model.size())));
                    log.progress("pruning", Math.max(0, seeds - model.size()), Math.max(1, seeds - desired));
                }
                if (model.size() <= desired) {
                    break;
                }
                model = prune(model, desired, pool);
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return finish(model, corpus, vocabSize);
    }

    /**
     * MakeSeedSentencePieces over the distinct sentences, then the EM input: with a pretokenization_delimiter the
     * sentences lose it, and with split_by_whitespace they become words (SplitSentencesByWhitespace: summed
     * frequencies, sorted by frequency, then by text).
     *
     * <p>When words split the text exactly where no piece may cross (split_by_whitespace, no delimiter, and not
     * whitespace-only pieces with whitespace as suffix), the seeds are taken from each distinct word followed by
     * the first character of the next word (or nothing): every piece candidate lies inside a word, and this keeps
     * what follows each of its occurrences, which decides whether it is a suffix tree node. The suffix array is
     * then several times smaller than the sentences'.
     */
    private UnigramModel seedAndSplit(TrainingCorpus corpus) {
        int[] delimiter = spec.pretokenizationDelimiter().codePoints().toArray();
        boolean tsv = "tsv".equals(spec.inputFormat());
        boolean suffix = spec.treatWhitespaceAsSuffix();
        boolean wsOnly = spec.allowWhitespaceOnlyPieces();
        boolean byWords = spec.splitByWhitespace() && delimiter.length == 0 && !(suffix && wsOnly);
        UnigramSeeds.Text text = new UnigramSeeds.Text();
        record Unit(String word, int follower) {
        }
        Map<Unit, long[]> units = new HashMap<>();
        Map<String, long[]> words = new HashMap<>();
        List<int[]> rewritten = new ArrayList<>(corpus.words.size());
        for (TrainingCorpus.Word w : corpus.words) {
            // The library's array holds each input line; a tsv line twice (0.2) whatever its frequency.
            long occurrences = tsv ? (compat == Compat.SENTENCEPIECE_0_2 ? 2 : 1) : w.freq();
            int[] s = w.chars();
            if (byWords) {
                List<String> split = TrainingCorpus.splitIntoWords(new String(s, 0, s.length), suffix, wsOnly);
                for (int j = 0; j < split.size(); j++) {
                    String word = split.get(j);
                    int follower = j + 1 < split.size() ? split.get(j + 1).codePointAt(0) : 0;
                    addCounts(units, new Unit(word, follower), occurrences, w.freq());
                    addCounts(words, word, w.freq(), 0);
                }
                continue;
            }
            if (delimiter.length == 0) {
                text.add(s, 0, s.length, occurrences, w.freq());
                rewritten.add(s);
                continue;
            }
            rewritten.add(splitAtDelimiter(s, delimiter, text, occurrences, w.freq()));
        }
        if (byWords) {
            units.forEach((unit, counts) -> {
                int[] cps = unit.word().codePoints().toArray();
                text.add(cps, 0, cps.length, unit.follower(), counts[0], counts[1]);
            });
        } else if (spec.splitByWhitespace()) {
            for (int i = 0; i < rewritten.size(); i++) {
                int[] s = rewritten.get(i);
                for (String word : TrainingCorpus.splitIntoWords(new String(s, 0, s.length), suffix, wsOnly)) {
                    addCounts(words, word, corpus.words.get(i).freq(), 0);
                }
            }
        }
        int substrings = intOption(spec, "seed_sentencepiece_size");
        UnigramSeeds.Seeds seeds = UnigramSeeds.make(text, rules, spec.maxSentencepieceLength(), substrings,
                compat == Compat.SENTENCEPIECE_0_1_97, log);
        if (spec.splitByWhitespace()) {
            sortWords(words);
        } else {
            sentences = rewritten.toArray(new int[0][]);
            freqs = new long[sentences.length];
            for (int i = 0; i < freqs.length; i++) {
                freqs[i] = corpus.words.get(i).freq();
            }
        }
        taskStarts = taskStarts(sentences);
        return new UnigramModel(seeds.pieces(), seeds.scores());
    }

    /**
     * pretokenization_delimiter: each part between delimiters is a seed segment of its own (absl::StrSplit, left
     * to right, no overlaps); the sentence trained on is the parts joined.
     */
    private static int[] splitAtDelimiter(int[] s, int[] delimiter, UnigramSeeds.Text text, long occurrences, long freq) {
        int[] joined = new int[s.length];
        int size = 0;
        int from = 0;
        for (int i = 0; i + delimiter.length <= s.length; ) {
            if (Arrays.equals(s, i, i + delimiter.length, delimiter, 0, delimiter.length)) {
                text.add(s, from, i, occurrences, freq);
                System.arraycopy(s, from, joined, size, i - from);
                size += i - from;
                i += delimiter.length;
                from = i;
            } else {
                i++;
            }
        }
        text.add(s, from, s.length, occurrences, freq);
        System.arraycopy(s, from, joined, size, s.length - from);
        size += s.length - from;
        return Arrays.copyOf(joined, size);
    }

    private static <K> void addCounts(Map<K, long[]> counts, K key, long a, long b) {
        long[] c = counts.get(key);
        if (c == null) {
            counts.put(key, new long[] {a, b});
        } else {
            c[0] += a;
            c[1] += b;
        }
    }

    private void sortWords(Map<String, long[]> words) {
        record Entry(int[] chars, long freq) {
        }
        List<Entry> sorted = new ArrayList<>(words.size());
        words.forEach((w, c) -> sorted.add(new Entry(w.codePoints().toArray(), c[0])));
        sorted.sort((a, b) -> a.freq != b.freq ? Long.compare(b.freq, a.freq) : Arrays.compare(a.chars, b.chars));
        sentences = new int[sorted.size()][];
        freqs = new long[sorted.size()];
        for (int i = 0; i < sentences.length; i++) {
            sentences[i] = sorted.get(i).chars;
            freqs[i] = sorted.get(i).freq;
        }
    }

    /** Consecutive sentence ranges of about {@link #CHARS_PER_TASK} characters each. */
    private static int[] taskStarts(int[][] sentences) {
        List<Integer> starts = new ArrayList<>();
        long chars = 0;
        for (int i = 0; i < sentences.length; i++) {
            if (i == 0 || chars >= CHARS_PER_TASK) {
                starts.add(i);
                chars = 0;
            }
            chars += sentences[i].length;
        }
        starts.add(sentences.length);
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** What one work unit computed, to be added in sentence order by the merging thread. */
    private static final class Chunk {
        /**
         * E-step: each lattice node's piece and expected count, sentence after sentence. Prune: the pieces of each
         * sentence's Viterbi path (values unused).
         */
        int nodes;
        int[] ids = new int[1024];
        double[] values = new double[1024];
        /** Per sentence: {@code freq x log Z} and the Viterbi path length (E-step), where its pieces end (prune). */
        float[] likelihood = new float[64];
        int[] tokens = new int[64];
        int[] pathEnds = new int[64];

        void reset(int sentenceCount) {
            nodes = 0;
            if (likelihood.length < sentenceCount) {
                likelihood = new float[sentenceCount];
                tokens = new int[sentenceCount];
                pathEnds = new int[sentenceCount];
            }
        }

        void add(int id, double value) {
            if (nodes == ids.length) {
                ids = Arrays.copyOf(ids, nodes * 2);
                values = Arrays.copyOf(values, nodes * 2);
            }
            ids[nodes] = id;
            values[nodes++] = value;
        }
    }

    private record EStep(float[] expected, float objective, long tokens) {
    }

    /**
     * RunEStep: expected counts {@code sum over sentences of freq x marginal}, each added in float in sentence and
     * node order; the objective is {@code -sum(freq x log Z) / sum(freq)}, and num_tokens counts Viterbi pieces.
     */
    private EStep eStep(UnigramModel model, ExecutorService pool) {
        long allFreq = 0;
        for (long f : freqs) {
            allFreq += f;
        }
        float[] expected = new float[model.size()];
        float[] objective = {0f};
        long[] tokens = {0};
        float all = (float) allFreq;
        inOrder(pool, taskStarts.length - 1, task -> {
            Chunk c = chunk(task);
            int from = taskStarts[task];
            int to = taskStarts[task + 1];
            c.reset(to - from);
            UnigramLattice lattice = lattices.get();
            for (int i = from; i < to; i++) {
                lattice.set(model, sentences[i], sentences[i].length);
                c.likelihood[i - from] = lattice.marginals((float) freqs[i], c::add);
                c.tokens[i - from] = lattice.viterbi();
            }
        }, task -> {
            Chunk c = chunk(task);
            for (int k = 0; k < c.nodes; k++) {
                expected[c.ids[k]] = (float) (expected[c.ids[k]] + c.values[k]);
            }
            for (int i = 0; i < taskStarts[task + 1] - taskStarts[task]; i++) {
                if (Float.isNaN(c.likelihood[i])) {
                    throw new IllegalStateException("likelihood is NaN; a training sentence may be too long");
                }
                objective[0] -= c.likelihood[i] / all;
                tokens[0] += c.tokens[i];
            }
        });
        return new EStep(expected, objective[0], tokens[0]);
    }

    /** RunMStep: drop pieces expected fewer than 0.5 times, then {@code score = digamma(count) - digamma(sum)}. */
    private static UnigramModel mStep(UnigramModel model, float[] expected) {
        int kept = 0;
        float sum = 0f;
        for (float f : expected) {
            if (f >= EXPECTED_FREQUENCY_THRESHOLD) {
                kept++;
                sum += f;
            }
        }
        float logSum = (float) digamma(sum);
        int[][] pieces = new int[kept][];
        float[] scores = new float[kept];
        int k = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] >= EXPECTED_FREQUENCY_THRESHOLD) {
                pieces[k] = model.pieces[i];
                scores[k++] = (float) (digamma(expected[i]) - logSum);
            }
        }
        return new UnigramModel(pieces, scores);
    }

    /**
     * The digamma function: the recurrence {@code psi(x) = psi(x + 1) - 1/x} up to 7, then the asymptotic series
     * {@code log(x') + 1/(24 x'^2) - 7/(960 x'^4) + 31/(8064 x'^6) - 127/(30720 x'^8)} at {@code x' = x - 1/2}.
     */
    static double digamma(double x) {
        double result = 0.0;
        for (; x < 7; ++x) {
            result -= 1 / x;
        }
        x -= 1.0 / 2.0;
        double xx = 1.0 / x;
        double xx2 = xx * xx;
        double xx4 = xx2 * xx2;
        result += Math.log(x) + (1.0 / 24.0) * xx2 - (7.0 / 960.0) * xx4 + (31.0 / 8064.0) * xx4 * xx2
                - (127.0 / 30720.0) * xx4 * xx4;
        return result;
    }

    /**
     * What removing each piece would do: {@code alternatives[i]} is the second-best segmentation of piece i when
     * its best one is the piece itself; {@code removable[i]} when its best segmentation already splits it.
     */
    private record Alternatives(boolean[] removable, int[][] alternatives) {
    }

    private Alternatives alternatives(UnigramModel model, ExecutorService pool) {
        int size = model.size();
        boolean[] removable = new boolean[size];
        int[][] alternatives = new int[size][];
        int tasks = Math.max(1, Math.min(size, threads * 8));
        inOrder(pool, tasks, task -> {
            UnigramLattice lattice = lattices.get();
            for (int i = (int) ((long) size * task / tasks); i < (long) size * (task + 1) / tasks; i++) {
                lattice.set(model, model.pieces[i], model.pieces[i].length);
                UnigramLattice.TwoBest best = lattice.secondBest();
                removable[i] = best.paths() == 2 && best.bestLength() >= 2;
                alternatives[i] = best.paths() == 2 && best.bestLength() == 1 ? best.secondIds() : new int[0];
            }
        }, task -> { });
        return new Alternatives(removable, alternatives);
    }

    /** Each piece's frequency on the Viterbi paths of all sentences, and the summed sentence frequency. */
    private record ViterbiCounts(float[] freq, float sentences) {
    }

    /**
     * Frequencies added in float in sentence order, as the library's single thread does. Its F for a piece, the
     * frequencies of the sentences on the piece's inverted list, is the same float sum in the same order.
     */
    private ViterbiCounts viterbiCounts(UnigramModel model, ExecutorService pool) {
        float[] freq = new float[model.size()];
        float[] vsum = {0f};
        inOrder(pool, taskStarts.length - 1, task -> {
            Chunk c = chunk(task);
            int from = taskStarts[task];
            int to = taskStarts[task + 1];
            c.reset(to - from);
            UnigramLattice lattice = lattices.get();
            for (int i = from; i < to; i++) {
                lattice.set(model, sentences[i], sentences[i].length);
                int len = lattice.viterbi();
                for (int j = 0; j < len; j++) {
                    c.add(lattice.pathId(j), 0);
                }
                c.pathEnds[i - from] = c.nodes;
            }
        }, task -> {
            Chunk c = chunk(task);
            int k = 0;
            for (int i = taskStarts[task]; i < taskStarts[task + 1]; i++) {
                float f = (float) freqs[i];
                vsum[0] += f;
                for (int end = c.pathEnds[i - taskStarts[task]]; k < end; k++) {
                    freq[c.ids[k]] += f;
                }
            }
        });
        return new ViterbiCounts(freq, vsum[0]);
    }

    /** PruneSentencePieces: keeps {@code max(desired, shrinking_factor x size)} pieces by estimated loss. */
    private UnigramModel prune(UnigramModel model, int desired, ExecutorService pool) {
        int size = model.size();
        Alternatives alt = alternatives(model, pool);
        ViterbiCounts counts = viterbiCounts(model, pool);
        float[] freq = counts.freq();
        double total = 0.0;
        for (float f : freq) {
            total += f;
        }
        float sum = (float) total;
        float logSum = (float) Math.log(sum);
        List<int[]> keptPieces = new ArrayList<>();
        List<Float> keptScores = new ArrayList<>();
        int candidateCount = 0;
        int[] candidateIds = new int[size];
        float[] candidateLoss = new float[size];
        for (int i = 0; i < size; i++) {
            if (freq[i] == 0 || alt.removable()[i]) {
                continue;
            }
            int[] alternatives = alt.alternatives()[i];
            if (alternatives.length == 0) {
                keptPieces.add(model.pieces[i]);
                keptScores.add(model.scores[i]);
                continue;
            }
            float f = freq[i] / counts.sentences();
            float logProbPiece = (float) (Math.log(freq[i]) - logSum);
            // new_sum = sum - freq[i] + freq[i] x (number of alternatives); 0.1.97 used the number of all pieces.
            long spread = compat == Compat.SENTENCEPIECE_0_1_97 ? size - 1 : alternatives.length - 1;
            float logSumAlt = (float) Math.log(sum + freq[i] * (float) spread);
            float logProbAlt = 0f;
            for (int a : alternatives) {
                logProbAlt = (float) (logProbAlt + (Math.log(freq[a] + freq[i]) - logSumAlt));
            }
            candidateIds[candidateCount] = i;
            candidateLoss[candidateCount++] = f * (logProbPiece - logProbAlt);
        }
        Integer[] order = new Integer[candidateCount];
        for (int c = 0; c < candidateCount; c++) {
            order[c] = c;
        }
        // Sorted(candidates): loss descending, then piece index.
        Arrays.sort(order, (a, b) -> candidateLoss[a] != candidateLoss[b] ? Float.compare(candidateLoss[b], candidateLoss[a])
                : Integer.compare(candidateIds[a], candidateIds[b]));
        int pruned = Math.max(desired, (int) (floatOption(spec, "shrinking_factor") * (float) size));
        for (int c : order) {
            // The library compares with ==: when the kept pieces alone exceed the target, every candidate stays.
            if (keptPieces.size() == pruned) {
                break;
            }
            keptPieces.add(model.pieces[candidateIds[c]]);
            keptScores.add(model.scores[candidateIds[c]]);
        }
        float[] scores = new float[keptScores.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = keptScores.get(i);
        }
        return new UnigramModel(keptPieces.toArray(new int[0][]), scores);
    }

    /** FinalizeSentencePieces. */
    private List<BpeTrainer.Piece> finish(UnigramModel model, TrainingCorpus corpus, int vocabSize) {
        record Scored(int[] piece, float score) {
        }
        Comparator<Scored> byScoreThenPiece = (a, b) -> a.score != b.score ? Float.compare(b.score, a.score)
                : Arrays.compare(a.piece, b.piece);
        Map<String, Float> current = new HashMap<>();
        List<Scored> all = new ArrayList<>(model.size());
        for (int i = 0; i < model.size(); i++) {
            current.put(model.piece(i), model.scores[i]);
            all.add(new Scored(model.pieces[i], model.scores[i]));
        }
        Map<String, Scored> chosen = new HashMap<>();
        float penalty = 0f;
        for (int c : corpus.requiredChars) {
            String s = new String(Character.toChars(c));
            Float score = current.get(s);
            if (score == null) {
                // Missing characters score just below each other, frequent ones higher.
                score = model.minScore + penalty;
                penalty += MIN_SCORE_PENALTY_DELTA;
            }
            chosen.put(s, new Scored(new int[] {c}, score));
        }
        all.sort(byScoreThenPiece);
        for (Scored p : all) {
            String s = new String(p.piece, 0, p.piece.length);
            if (chosen.containsKey(s)) {
                continue;
            }
            if (chosen.size() == vocabSize) {
                break;
            }
            chosen.put(s, p);
        }
        List<Scored> result = new ArrayList<>(chosen.values());
        result.sort(byScoreThenPiece);
        List<BpeTrainer.Piece> out = new ArrayList<>(result.size());
        for (Scored p : result) {
            out.add(new BpeTrainer.Piece(new String(p.piece, 0, p.piece.length), p.score));
        }
        return out;
    }

    private int window() {
        return Math.max(2, threads * 2);
    }

    private Chunk chunk(int task) {
        return chunks[task % chunks.length];
    }

    /**
     * Runs {@code work(0..tasks-1)} on the pool, at most {@link #window()} ahead, and {@code merge(t)} on this
     * thread strictly in task order; a task's chunk slot is reused only after its merge.
     */
    private void inOrder(ExecutorService pool, int tasks, IntConsumer work, IntConsumer merge) {
        if (pool == null) {
            for (int t = 0; t < tasks; t++) {
                work.accept(t);
                merge.accept(t);
            }
            return;
        }
        ArrayDeque<Future<?>> running = new ArrayDeque<>();
        int submitted = 0;
        int window = window();
        try {
            for (int t = 0; t < tasks; t++) {
                while (submitted < tasks && submitted < t + window) {
                    int task = submitted++;
                    running.add(pool.submit(() -> work.accept(task)));
                }
                running.removeFirst().get();
                merge.accept(t);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("unigram training interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            running.forEach(f -> f.cancel(true));
        }
    }
}
