package dev.cria.tokenizer.train;

import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.TokenizerFormatException;
import dev.cria.tokenizer.spm.ModelProto;
import dev.cria.tokenizer.spm.ModelType;
import dev.cria.tokenizer.spm.NormalizationRuleSet;
import dev.cria.tokenizer.spm.Normalizer;
import dev.cria.tokenizer.spm.NormalizerSpec;
import dev.cria.tokenizer.spm.SentencePieceModel;
import dev.cria.tokenizer.spm.TrainerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * spm_train in Java: reads text, learns a vocabulary and writes {@code PREFIX.model} and {@code PREFIX.vocab} that
 * the SentencePiece library loads. Options are SentencePiece's own TrainerSpec and NormalizerSpec fields.
 *
 * <p>Every model type trains: UNIGRAM (spm_train's default), BPE, CHAR and WORD.
 */
public final class SentencePieceTrainer {

    /** What a training run produced. */
    public record Result(ModelProto model, long sentences, long distinctWords, int alphabetSize, double characterCoverage,
                         long tooLongLines, double seconds) {
    }

    private SentencePieceTrainer() {
    }

    /** The options spm_train sets when called with LLaMA's flags (TOKENIZER.md §1), on top of spm_train's defaults. */
    public static void applyLlamaOptions(TrainerSpec trainer, NormalizerSpec normalizer) {
        var t = trainer.values();
        t.set("model_type", ModelType.BPE);
        t.set("character_coverage", 0.99995f);
        t.set("split_digits", true);
        t.set("byte_fallback", true);
        t.set("allow_whitespace_only_pieces", true);
        t.set("max_sentencepiece_length", 16);
        var n = normalizer.values();
        n.set("name", "identity");
        n.set("remove_extra_whitespaces", false);
        n.set("add_dummy_prefix", true);
    }

    /**
     * Fills every flag field the way spm_train writes them into the model (all set, so the model records its
     * options), keeping values already set.
     */
    public static void setAllFlags(TrainerSpec trainer, NormalizerSpec normalizer) {
        var t = trainer.values();
        for (var f : t.fields()) {
            if (!t.has(f.name()) && !List.of("accept_language", "mining_sentence_size", "training_sentence_size",
                    "control_symbols", "user_defined_symbols").contains(f.name())) {
                t.set(f.name(), t.get(f.name()));
            }
        }
        var n = normalizer.values();
        for (String name : List.of("name", "add_dummy_prefix", "remove_extra_whitespaces", "normalization_rule_tsv")) {
            if (!n.has(name)) {
                n.set(name, name.equals("name") ? "nmt_nfkc" : n.get(name));
            }
        }
    }

    /** spm_train's seed for sampling input sentences; {@code --random-seed} changes it. */
    public static final long DEFAULT_SEED = 12345678L;

    /** Trains on {@code source} and writes {@code prefix + ".model"} and {@code prefix + ".vocab"} atomically. */
    public static Result trainAndWrite(LineSource source, TrainerSpec trainer, NormalizerSpec normalizer, String prefix,
                                       TrainingListener log) throws IOException {
        return trainAndWrite(source, trainer, normalizer, prefix, DEFAULT_SEED, log);
    }

    /** As {@link #trainAndWrite(LineSource, TrainerSpec, NormalizerSpec, String, TrainingListener)}, sampling with {@code seed}. */
    public static Result trainAndWrite(LineSource source, TrainerSpec trainer, NormalizerSpec normalizer, String prefix, long seed,
                                       TrainingListener log) throws IOException {
        Result r = train(source, trainer, normalizer, seed, log);
        Path model = Path.of(prefix + ".model");
        Path vocab = Path.of(prefix + ".vocab");
        log.log("Saving model: " + model);
        r.model().write(model);
        log.log("Saving vocabs: " + vocab);
        writeVocab(r.model(), vocab);
        return r;
    }

    public static Result train(LineSource source, TrainerSpec trainer, NormalizerSpec normalizer, TrainingListener log)
            throws IOException {
        return train(source, trainer, normalizer, DEFAULT_SEED, log);
    }

    /**
     * Trains and returns the model without writing it. {@code seed} drives every random choice (sentence sampling,
     * self-test samples, differential-privacy noise): the same input, options and seed give the same model.
     */
    public static Result train(LineSource source, TrainerSpec trainerIn, NormalizerSpec normalizerIn, long seed, TrainingListener log)
            throws IOException {
        long start = System.nanoTime();
        TrainerSpec trainer = trainerIn.copy();
        NormalizerSpec normalizer = normalizerIn.copy();
        verify(trainer);
        compileNormalization(normalizer);
        Map<Integer, ModelProto.Piece> meta = metaPieces(trainer);
        List<String> metaStrings = new ArrayList<>();
        meta.values().forEach(p -> metaStrings.add(p.piece()));
        Normalizer norm = Normalizer.of(normalizer, trainer);
        ModelType type = trainer.modelType();
        if (type == ModelType.UNIGRAM) {
            UnigramTrainer.verify(trainer);
        }
        TrainerSpec loadSpec = trainer;
        if (type != ModelType.BPE) {
            loadSpec = trainer.copy();
            loadSpec.values().set("split_by_whitespace", false);
        }
        if (type == ModelType.UNIGRAM) {
            // The unigram trainer splits its seeds at the delimiter and removes it itself.
            loadSpec.values().set("pretokenization_delimiter", "");
        }
        TrainingCorpus corpus = TrainingCorpus.load(source, loadSpec, norm, metaStrings, seed,
                type == ModelType.UNIGRAM && !trainer.splitByWhitespace(), log);
        List<BpeTrainer.Piece> pieces = switch (type) {
            case BPE -> {
                int size = trainer.vocabSize() - meta.size() - corpus.requiredChars.length;
                if (size < 0) {
                    throw new IllegalArgumentException("Vocabulary size is smaller than required_chars. " + trainer.vocabSize() + " vs "
                            + (meta.size() + corpus.requiredChars.length) + ". Increase vocab_size or decrease character_coverage.");
                }
                TrainingCorpus words = trainer.pretokenizationDelimiter().isEmpty() ? corpus : corpus.delimitedBy(trainer.pretokenizationDelimiter());
                List<BpeTrainer.Piece> merged = new BpeTrainer(new PieceRules(trainer), log).train(words, size);
                for (int i = 0; i < corpus.requiredChars.length; i++) {
                    merged.add(new BpeTrainer.Piece(new String(Character.toChars(corpus.requiredChars[i])), -(float) merged.size()));
                }
                yield merged;
            }
            case CHAR -> charPieces(corpus, trainer.vocabSize() - meta.size(), trainer.useAllVocab());
            case WORD -> wordPieces(corpus, trainer.vocabSize() - meta.size(), trainer.useAllVocab());
            case UNIGRAM -> new UnigramTrainer(trainer, log).train(corpus, trainer.vocabSize() - meta.size());
        };
        if ((type == ModelType.CHAR || type == ModelType.WORD) && trainer.useAllVocab()) {
            trainer.values().set("vocab_size", pieces.size() + meta.size());
        }
        ModelProto model = serialize(trainer, normalizer, meta, pieces);
        model = withSelfTest(model, corpus.selfTestSamples);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(model, corpus.sentencesLoaded, corpus.words.size(), corpus.requiredChars.length, corpus.coverage,
                corpus.tooLong, seconds);
    }

    private static void verify(TrainerSpec t) {
        check(t.vocabSize() > 0, "vocab_size must be > 0");
        float cov = t.characterCoverage();
        check(cov >= 0.98f && cov <= 1.0f, "character_coverage must be in [0.98, 1.0], got " + cov);
        check(t.maxSentencepieceLength() >= 1 && t.maxSentencepieceLength() <= 512, "max_sentencepiece_length must be in [1, 512]");
        check(t.maxSentenceLength() >= 10 && t.maxSentenceLength() <= 1073741824, "max_sentence_length must be in [10, 1073741824]");
        check(t.numThreads() >= 1 && t.numThreads() <= 1024, "num_threads must be in [1, 1024]");
        check(t.inputSentenceSize() <= 0 || t.inputSentenceSize() > 100, "input_sentence_size must be 0 (all) or > 100");
        check(t.selfTestSampleSize() >= 0 && t.selfTestSampleSize() <= 1000, "self_test_sample_size must be in [0, 1000]");
        check(!(t.modelType() == ModelType.BPE || t.modelType() == ModelType.UNIGRAM) || !t.useAllVocab(),
                "use_all_vocab=true is valid for WORD/CHAR models only");
        for (String p : List.of(t.unkPiece(), t.bosPiece(), t.eosPiece(), t.padPiece())) {
            check(!p.isEmpty(), "unk/bos/eos/pad pieces must not be empty");
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** normalization_rule_tsv wins over the rule name; the compiled map goes into precompiled_charsmap. */
    private static void compileNormalization(NormalizerSpec spec) throws TokenizerFormatException {
        var v = spec.values();
        if (!spec.normalizationRuleTsv().isEmpty()) {
            v.set("name", "user_defined");
            v.set("precompiled_charsmap", NormalizationRuleSet.compileTsv(spec.normalizationRuleTsv()));
        } else if (spec.precompiledCharsmap().length == 0) {
            String name = v.has("name") ? spec.name() : "nmt_nfkc";
            v.set("name", name);
            v.set("precompiled_charsmap", NormalizationRuleSet.compile(name));
        }
    }

    /** InitMetaPieces: unk/bos/eos/pad at their ids, then control, user-defined and byte pieces at the free ids. */
    static Map<Integer, ModelProto.Piece> metaPieces(TrainerSpec t) {
        Map<Integer, ModelProto.Piece> meta = new TreeMap<>();
        boolean[] hasUnk = new boolean[1];
        insertId(meta, t, t.unkId(), t.unkPiece(), hasUnk);
        insertId(meta, t, t.bosId(), t.bosPiece(), hasUnk);
        insertId(meta, t, t.eosId(), t.eosPiece(), hasUnk);
        insertId(meta, t, t.padId(), t.padPiece(), hasUnk);
        check(hasUnk[0], t.unkPiece() + " must be defined");
        Set<String> dup = new HashSet<>();
        int[] next = new int[1];
        for (String w : t.controlSymbols()) {
            insertMeta(meta, t, w, TokenType.CONTROL, dup, next);
        }
        for (String w : t.userDefinedSymbols()) {
            insertMeta(meta, t, w, TokenType.USER_DEFINED, dup, next);
        }
        if (t.byteFallback()) {
            for (int b = 0; b < 256; b++) {
                insertMeta(meta, t, String.format("<0x%02X>", b), TokenType.BYTE, dup, next);
            }
        }
        return meta;
    }

    private static void insertId(Map<Integer, ModelProto.Piece> meta, TrainerSpec t, int id, String w, boolean[] hasUnk) {
        if (id < 0) {
            return;
        }
        check(id < t.vocabSize() && !meta.containsKey(id) && !(hasUnk[0] && w.equals(t.unkPiece())),
                "invalid or duplicated special id " + id + " for " + w);
        boolean unk = w.equals(t.unkPiece());
        hasUnk[0] |= unk;
        meta.put(id, new ModelProto.Piece(w, 0f, unk ? TokenType.UNKNOWN : TokenType.CONTROL));
    }

    private static void insertMeta(Map<Integer, ModelProto.Piece> meta, TrainerSpec t, String w, TokenType type, Set<String> dup, int[] next) {
        check(dup.add(w), w + " is already defined. duplicated symbols are not allowed.");
        check(!w.equals(t.unkPiece()), t.unkPiece() + " must not be defined with --control_symbols and --user_defined_symbols.");
        if (w.equals(t.bosPiece()) && t.bosId() >= 0) {
            meta.put(t.bosId(), new ModelProto.Piece(w, 0f, type));
        } else if (w.equals(t.eosPiece()) && t.eosId() >= 0) {
            meta.put(t.eosId(), new ModelProto.Piece(w, 0f, type));
        } else if (w.equals(t.padPiece()) && t.padId() >= 0) {
            meta.put(t.padId(), new ModelProto.Piece(w, 0f, type));
        } else {
            while (meta.containsKey(next[0])) {
                next[0]++;
            }
            meta.put(next[0], new ModelProto.Piece(w, 0f, type));
        }
    }

    private static List<BpeTrainer.Piece> charPieces(TrainingCorpus corpus, int size, boolean useAll) {
        check(size >= 0, "vocab_size is smaller than the number of meta pieces");
        long sum = 0;
        for (long c : corpus.requiredCounts) {
            sum += c;
        }
        float logSum = (float) Math.log((float) sum);
        List<BpeTrainer.Piece> out = new ArrayList<>();
        for (int i = 0; i < corpus.requiredChars.length; i++) {
            if (!useAll && out.size() == size) {
                break;
            }
            out.add(new BpeTrainer.Piece(new String(Character.toChars(corpus.requiredChars[i])),
                    (float) Math.log((float) corpus.requiredCounts[i]) - logSum));
        }
        return out;
    }

    private static List<BpeTrainer.Piece> wordPieces(TrainingCorpus corpus, int size, boolean useAll) {
        check(size >= 0, "vocab_size is smaller than the number of meta pieces");
        Map<String, Long> freq = new LinkedHashMap<>();
        for (TrainingCorpus.Word w : corpus.words) {
            String sentence = new String(w.chars(), 0, w.chars().length);
            for (String word : TrainingCorpus.splitIntoWords(sentence, false, false)) {
                freq.merge(word, w.freq(), Long::sum);
            }
        }
        long sum = 0;
        for (long f : freq.values()) {
            sum += f;
        }
        float logSum = (float) Math.log((float) sum);
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(freq.entrySet());
        sorted.sort((a, b) -> !a.getValue().equals(b.getValue()) ? Long.compare(b.getValue(), a.getValue())
                : java.util.Arrays.compare(a.getKey().codePoints().toArray(), b.getKey().codePoints().toArray()));
        List<BpeTrainer.Piece> out = new ArrayList<>();
        for (var e : sorted) {
            if (e.getKey().indexOf(PieceRules.UNK_CHAR) >= 0) {
                continue;
            }
            if (!useAll && out.size() == size) {
                break;
            }
            out.add(new BpeTrainer.Piece(e.getKey(), (float) Math.log((float) e.getValue()) - logSum));
        }
        return out;
    }

    /** Serialize: meta pieces at their ids, learned pieces filling the rest in order. */
    private static ModelProto serialize(TrainerSpec trainer, NormalizerSpec normalizer, Map<Integer, ModelProto.Piece> meta,
                                        List<BpeTrainer.Piece> pieces) throws TokenizerFormatException {
        List<ModelProto.Piece> out = new ArrayList<>();
        Set<String> dup = new HashSet<>();
        int next = 0;
        for (int id = 0; id < trainer.vocabSize(); id++) {
            ModelProto.Piece p = meta.get(id);
            if (p == null) {
                if (next >= pieces.size()) {
                    continue;
                }
                BpeTrainer.Piece learned = pieces.get(next++);
                p = new ModelProto.Piece(learned.text(), learned.score(), TokenType.NORMAL);
            }
            if (!dup.add(p.piece())) {
                throw new TokenizerFormatException(p.piece() + " is already defined");
            }
            out.add(p);
        }
        if (next != pieces.size()) {
            throw new IllegalStateException("not every learned piece found an id");
        }
        if (!trainer.hardVocabLimit() || trainer.modelType() == ModelType.CHAR) {
            trainer.values().set("vocab_size", out.size());
        } else if (out.size() != trainer.vocabSize()) {
            throw new IllegalArgumentException("Vocabulary size too high (" + trainer.vocabSize() + "). Please set it to a value <= "
                    + out.size() + ".");
        }
        return new ModelProto(out, trainer, normalizer, null, null);
    }

    private static ModelProto withSelfTest(ModelProto model, List<String> samples) throws TokenizerFormatException {
        if (samples.isEmpty()) {
            return model;
        }
        SentencePieceModel sp = SentencePieceModel.of(model, "trained model");
        var data = new java.io.ByteArrayOutputStream();
        for (String input : samples) {
            String expected = String.join(" ", sp.encodeAsPieces(input));
            byte[] sample = SelfTestData.sample(input, expected);
            data.writeBytes(SelfTestData.field(1, sample));
        }
        return new ModelProto(model.pieces(), model.trainerSpec(), model.normalizerSpec(), model.denormalizerSpec(), data.toByteArray());
    }

    /** PREFIX.vocab: one line per piece, {@code piece<TAB>score} (scores as C++ prints floats). */
    public static void writeVocab(ModelProto model, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        boolean withScore = model.trainerSpec().vocabularyOutputPieceScore();
        for (ModelProto.Piece p : model.pieces()) {
            sb.append(p.piece());
            if (withScore) {
                sb.append('\t').append(CFloat.format(p.score()));
            }
            sb.append('\n');
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The two-field SelfTestData.Sample message, written by hand (it is the only use of the message). */
    private static final class SelfTestData {
        static byte[] sample(String input, String expected) {
            var out = new java.io.ByteArrayOutputStream();
            out.writeBytes(field(1, input.getBytes(StandardCharsets.UTF_8)));
            out.writeBytes(field(2, expected.getBytes(StandardCharsets.UTF_8)));
            return out.toByteArray();
        }

        static byte[] field(int number, byte[] payload) {
            var out = new java.io.ByteArrayOutputStream();
            varint(out, (long) number << 3 | 2);
            varint(out, payload.length);
            out.writeBytes(payload);
            return out.toByteArray();
        }

        private static void varint(java.io.ByteArrayOutputStream out, long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) (v & 0x7F | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
