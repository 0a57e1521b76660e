package dev.cria.tokenizer.spm;

import static dev.cria.tokenizer.spm.SpecField.Kind.BOOL;
import static dev.cria.tokenizer.spm.SpecField.Kind.FLOAT;
import static dev.cria.tokenizer.spm.SpecField.Kind.INT32;
import static dev.cria.tokenizer.spm.SpecField.Kind.MODEL_TYPE;
import static dev.cria.tokenizer.spm.SpecField.Kind.REPEATED_STRING;
import static dev.cria.tokenizer.spm.SpecField.Kind.STRING;
import static dev.cria.tokenizer.spm.SpecField.Kind.UINT64;

import java.util.List;

/**
 * SentencePiece's TrainerSpec: every option of spm_train, with the proto numbers and defaults of
 * sentencepiece_model.proto. The model file carries it, so a model behaves the same wherever it is loaded.
 */
public final class TrainerSpec {
    /** The fields in proto order; names double as spm_train flag names. */
    public static final List<SpecField> SCHEMA = List.of(
            new SpecField(1, "input", REPEATED_STRING, List.of()),
            new SpecField(2, "model_prefix", STRING, ""),
            new SpecField(3, "model_type", MODEL_TYPE, ModelType.UNIGRAM),
            new SpecField(4, "vocab_size", INT32, 8000),
            new SpecField(5, "accept_language", REPEATED_STRING, List.of()),
            new SpecField(6, "self_test_sample_size", INT32, 0),
            new SpecField(7, "input_format", STRING, ""),
            new SpecField(10, "character_coverage", FLOAT, 0.9995f),
            new SpecField(11, "input_sentence_size", UINT64, 0L),
            new SpecField(12, "mining_sentence_size", INT32, 0),
            new SpecField(13, "training_sentence_size", INT32, 0),
            new SpecField(14, "seed_sentencepiece_size", INT32, 1000000),
            new SpecField(15, "shrinking_factor", FLOAT, 0.75f),
            new SpecField(16, "num_threads", INT32, 16),
            new SpecField(17, "num_sub_iterations", INT32, 2),
            new SpecField(18, "max_sentence_length", INT32, 4192),
            new SpecField(19, "shuffle_input_sentence", BOOL, true),
            new SpecField(20, "max_sentencepiece_length", INT32, 16),
            new SpecField(21, "split_by_unicode_script", BOOL, true),
            new SpecField(22, "split_by_whitespace", BOOL, true),
            new SpecField(23, "split_by_number", BOOL, true),
            new SpecField(24, "treat_whitespace_as_suffix", BOOL, false),
            new SpecField(25, "split_digits", BOOL, false),
            new SpecField(26, "allow_whitespace_only_pieces", BOOL, false),
            new SpecField(30, "control_symbols", REPEATED_STRING, List.of()),
            new SpecField(31, "user_defined_symbols", REPEATED_STRING, List.of()),
            new SpecField(32, "vocabulary_output_piece_score", BOOL, true),
            new SpecField(33, "hard_vocab_limit", BOOL, true),
            new SpecField(34, "use_all_vocab", BOOL, false),
            new SpecField(35, "byte_fallback", BOOL, false),
            new SpecField(36, "required_chars", STRING, ""),
            new SpecField(40, "unk_id", INT32, 0),
            new SpecField(41, "bos_id", INT32, 1),
            new SpecField(42, "eos_id", INT32, 2),
            new SpecField(43, "pad_id", INT32, -1),
            new SpecField(44, "unk_surface", STRING, " \u2047 "),
            new SpecField(45, "unk_piece", STRING, "<unk>"),
            new SpecField(46, "bos_piece", STRING, "<s>"),
            new SpecField(47, "eos_piece", STRING, "</s>"),
            new SpecField(48, "pad_piece", STRING, "<pad>"),
            new SpecField(49, "train_extremely_large_corpus", BOOL, false),
            new SpecField(50, "enable_differential_privacy", BOOL, false),
            new SpecField(51, "differential_privacy_noise_level", FLOAT, 0f),
            new SpecField(52, "differential_privacy_clipping_threshold", UINT64, 0L),
            new SpecField(53, "pretokenization_delimiter", STRING, ""),
            new SpecField(54, "seed_sentencepieces_file", STRING, ""));

    private final SpecMessage values;

    public TrainerSpec() {
        this(new SpecMessage(SCHEMA));
    }

    TrainerSpec(SpecMessage values) {
        this.values = values;
    }

    /** The raw message: presence, defaults, generic get/set by field name. */
    public SpecMessage values() {
        return values;
    }

    public TrainerSpec copy() {
        return new TrainerSpec(values.copy());
    }

    public ModelType modelType() {
        return (ModelType) values.get("model_type");
    }

    public int vocabSize() {
        return values.getInt("vocab_size");
    }

    public boolean byteFallback() {
        return values.getBool("byte_fallback");
    }

    public boolean treatWhitespaceAsSuffix() {
        return values.getBool("treat_whitespace_as_suffix");
    }

    public boolean splitByWhitespace() {
        return values.getBool("split_by_whitespace");
    }

    public boolean allowWhitespaceOnlyPieces() {
        return values.getBool("allow_whitespace_only_pieces");
    }

    public boolean splitDigits() {
        return values.getBool("split_digits");
    }

    public boolean splitByNumber() {
        return values.getBool("split_by_number");
    }

    public boolean splitByUnicodeScript() {
        return values.getBool("split_by_unicode_script");
    }

    public int maxSentencepieceLength() {
        return values.getInt("max_sentencepiece_length");
    }

    public int maxSentenceLength() {
        return values.getInt("max_sentence_length");
    }

    public float characterCoverage() {
        return values.getFloat("character_coverage");
    }

    public long inputSentenceSize() {
        return values.getLong("input_sentence_size");
    }

    public boolean shuffleInputSentence() {
        return values.getBool("shuffle_input_sentence");
    }

    public List<String> controlSymbols() {
        return values.getList("control_symbols");
    }

    public List<String> userDefinedSymbols() {
        return values.getList("user_defined_symbols");
    }

    public String requiredChars() {
        return values.getString("required_chars");
    }

    public boolean hardVocabLimit() {
        return values.getBool("hard_vocab_limit");
    }

    public boolean useAllVocab() {
        return values.getBool("use_all_vocab");
    }

    public boolean vocabularyOutputPieceScore() {
        return values.getBool("vocabulary_output_piece_score");
    }

    public int unkId() {
        return values.getInt("unk_id");
    }

    public int bosId() {
        return values.getInt("bos_id");
    }

    public int eosId() {
        return values.getInt("eos_id");
    }

    public int padId() {
        return values.getInt("pad_id");
    }

    public String unkPiece() {
        return values.getString("unk_piece");
    }

    public String bosPiece() {
        return values.getString("bos_piece");
    }

    public String eosPiece() {
        return values.getString("eos_piece");
    }

    public String padPiece() {
        return values.getString("pad_piece");
    }

    public String unkSurface() {
        return values.getString("unk_surface");
    }

    public int numThreads() {
        return values.getInt("num_threads");
    }

    public String pretokenizationDelimiter() {
        return values.getString("pretokenization_delimiter");
    }

    public int selfTestSampleSize() {
        return values.getInt("self_test_sample_size");
    }

    public String inputFormat() {
        return values.getString("input_format");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainerSpec t && t.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }
}
