package dev.cria.tokenizer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.testing.ReferenceTool;
import dev.cria.testing.SharedData;
import dev.cria.tokenizer.spm.ModelProto;
import dev.cria.tokenizer.spm.ModelType;
import dev.cria.tokenizer.spm.NormalizerSpec;
import dev.cria.tokenizer.spm.SentencePieceModel;
import dev.cria.tokenizer.spm.TrainerSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer against models made by SentencePiece 0.2.1's spm_train, and its models against spm_encode. */
class SentencePieceTrainerTest {
    private static final TrainingListener QUIET = TrainingListener.QUIET;

    private static Path botchan() {
        return SharedData.file("tokenizer/spm-trained/botchan.txt");
    }

    private static ModelProto trainBotchan(TrainerSpec t, NormalizerSpec n) throws Exception {
        SentencePieceTrainer.setAllFlags(t, n);
        return SentencePieceTrainer.train(LineSource.files(List.of(botchan())), t, n, QUIET).model();
    }

    @Test
    void learnsTheSameVocabularyAsSentencePieceWithLlamaOptions() throws Exception {
        TrainerSpec t = new TrainerSpec();
        NormalizerSpec n = new NormalizerSpec();
        SentencePieceTrainer.applyLlamaOptions(t, n);
        t.values().set("vocab_size", 1000);
        t.values().set("num_threads", 1);
        ModelProto ours = trainBotchan(t, n);
        ModelProto reference = ModelProto.read(SharedData.file("tokenizer/spm-trained/botchan_bpe1k_llamaopts.model"));
        assertEquals(reference.pieces(), ours.pieces(), "pieces, scores and types in vocabulary order");
        assertEquals(reference.normalizerSpec(), ours.normalizerSpec());
    }

    @Test
    void learnsTheSameVocabularyAsSentencePieceWithItsDefaults() throws Exception {
        TrainerSpec t = new TrainerSpec();
        NormalizerSpec n = new NormalizerSpec();
        t.values().set("model_type", ModelType.BPE);
        t.values().set("vocab_size", 1000);
        t.values().set("num_threads", 1);
        ModelProto ours = trainBotchan(t, n);
        ModelProto reference = ModelProto.read(SharedData.file("tokenizer/spm-trained/botchan_bpe1k_default.model"));
        assertEquals(reference.pieces(), ours.pieces(), "nmt_nfkc normalization, remove_extra_whitespaces, no byte fallback");
        assertEquals("nmt_nfkc", ours.normalizerSpec().name());
    }

    @Test
    void writesTheModelAndVocabFilesAsSpmTrainDoes(@TempDir Path dir) throws Exception {
        TrainerSpec t = new TrainerSpec();
        NormalizerSpec n = new NormalizerSpec();
        SentencePieceTrainer.applyLlamaOptions(t, n);
        t.values().set("vocab_size", 1000);
        t.values().set("num_threads", 1);
        t.values().set("input", List.of("botchan.txt"));
        t.values().set("model_prefix", "botchan_bpe1k_llamaopts");
        t.values().set("input_sentence_size", 0L);
        SentencePieceTrainer.setAllFlags(t, n);
        String prefix = dir.resolve("botchan_bpe1k_llamaopts").toString();
        SentencePieceTrainer.trainAndWrite(LineSource.files(List.of(botchan())), t, n, prefix, QUIET);
        Path ref = SharedData.file("tokenizer/spm-trained/botchan_bpe1k_llamaopts.model");
        assertEquals(Files.readString(SharedData.file("tokenizer/spm-trained/botchan_bpe1k_llamaopts.vocab")),
                Files.readString(Path.of(prefix + ".vocab")));
        assertTrue(Arrays.equals(Files.readAllBytes(ref), Files.readAllBytes(Path.of(prefix + ".model"))),
                "the .model file is byte-identical to spm_train's");
    }

    @Test
    void trainedModelsEncodeTheEdgeCasesAsTheirReferenceOutputs() throws Exception {
        for (String name : List.of("botchan_bpe1k_llamaopts", "corpus40M_bpe8k_llamaopts", "botchan_bpe1k_default")) {
            SentencePieceModel m = SentencePieceModel.load(SharedData.file("tokenizer/spm-trained/" + name + ".model"));
            List<String> expected = Files.readAllLines(SharedData.file("tokenizer/spm-trained/" + name + ".cases.out"));
            var cases = new com.fasterxml.jackson.databind.ObjectMapper();
            List<String> lines = Files.readAllLines(SharedData.file("tokenizer/vectors/cases.jsonl"));
            assertEquals(expected.size(), lines.size());
            for (int i = 0; i < lines.size(); i++) {
                byte[] input = java.util.HexFormat.of().parseHex(cases.readTree(lines.get(i)).get("input_hex").asText());
                String got = Arrays.stream(m.encode(input)).mapToObj(Integer::toString).collect(Collectors.joining(" "));
                assertEquals(expected.get(i).trim(), got, name + " case " + (i + 1));
            }
        }
    }

    /** Options that change the trainer's decisions; every resulting model must encode in spm_encode as in Cria. */
    @Test
    void modelsItTrainsLoadInSentencePieceAndEncodeTheSame(@TempDir Path dir) throws Exception {
        ReferenceTool spmEncode = ReferenceTool.require("spm_encode", "sentencepiece");
        List<String> sample = new ArrayList<>(Files.readAllLines(botchan(), StandardCharsets.UTF_8));
        sample.addAll(dev.cria.tokenizer.spm.TrickyTextAccess.lines(3, 500, 12));
        Path input = dir.resolve("input.txt");
        Files.write(input, sample, StandardCharsets.UTF_8);
        record Variant(String name, Consumer<TrainerSpec> trainer, boolean llama) {
        }
        List<Variant> variants = List.of(
                new Variant("llama-2k", t -> t.values().set("vocab_size", 2000), true),
                new Variant("suffix", t -> {
                    t.values().set("vocab_size", 800);
                    t.values().set("treat_whitespace_as_suffix", true);
                }, true),
                new Variant("no-split-by-whitespace", t -> {
                    t.values().set("vocab_size", 800);
                    t.values().set("split_by_whitespace", false);
                }, true),
                new Variant("user-defined-and-control", t -> {
                    t.values().set("vocab_size", 700);
                    t.values().set("user_defined_symbols", List.of("<sep>", "the", "🦙"));
                    t.values().set("control_symbols", List.of("<cls>"));
                }, true),
                new Variant("no-byte-fallback", t -> {
                    t.values().set("vocab_size", 600);
                    t.values().set("byte_fallback", false);
                }, true),
                new Variant("char", t -> {
                    t.values().set("model_type", ModelType.CHAR);
                    t.values().set("vocab_size", 300);
                    t.values().set("byte_fallback", false);
                }, true),
                new Variant("word", t -> {
                    t.values().set("model_type", ModelType.WORD);
                    t.values().set("vocab_size", 2000);
                    t.values().set("byte_fallback", false);
                }, true));
        for (Variant v : variants) {
            TrainerSpec t = new TrainerSpec();
            NormalizerSpec n = new NormalizerSpec();
            if (v.llama()) {
                SentencePieceTrainer.applyLlamaOptions(t, n);
            }
            v.trainer().accept(t);
            SentencePieceTrainer.setAllFlags(t, n);
            String prefix = dir.resolve(v.name()).toString();
            SentencePieceTrainer.trainAndWrite(LineSource.files(List.of(input)), t, n, prefix, QUIET);
            Path model = Path.of(prefix + ".model");
            SentencePieceModel ours = SentencePieceModel.load(model);
            List<String> expected = spmEncode.runLines(input, "--model=" + model, "--output_format=id");
            assertEquals(sample.size(), expected.size(), v.name());
            for (int i = 0; i < sample.size(); i++) {
                String got = Arrays.stream(ours.encode(sample.get(i))).mapToObj(Integer::toString).collect(Collectors.joining(" "));
                assertEquals(expected.get(i), got, v.name() + " line " + (i + 1) + ": " + sample.get(i));
            }
        }
    }

    @Test
    void writesSelfTestSamplesThatSentencePieceChecks(@TempDir Path dir) throws Exception {
        ReferenceTool spmEncode = ReferenceTool.require("spm_encode", "sentencepiece");
        TrainerSpec t = new TrainerSpec();
        NormalizerSpec n = new NormalizerSpec();
        SentencePieceTrainer.applyLlamaOptions(t, n);
        t.values().set("vocab_size", 800);
        t.values().set("self_test_sample_size", 20);
        SentencePieceTrainer.setAllFlags(t, n);
        String prefix = dir.resolve("selftest").toString();
        var r = SentencePieceTrainer.trainAndWrite(LineSource.files(List.of(botchan())), t, n, prefix, QUIET);
        assertTrue(r.model().selfTestData().length > 100);
        Path model = Path.of(prefix + ".model");
        SentencePieceModel.load(model);
        Path one = dir.resolve("one.txt");
        Files.writeString(one, "a fine day\n");
        assertEquals(1, spmEncode.runLines(one, "--model=" + model).size(), "SentencePiece loads it and its self-test passes");

        // A sample whose expected pieces are wrong makes loading fail, as in the library.
        byte[] tampered = Files.readAllBytes(model);
        byte[] samples = ModelProto.read(model).selfTestData();
        // The first ▁ (E2 96 81) of the samples is in an expected segmentation; make it ▂ (E2 96 82).
        int firstSpaceSymbol = indexOf(tampered, samples) + indexOf(samples, "\u2581".getBytes(StandardCharsets.UTF_8));
        tampered[firstSpaceSymbol + 2] = (byte) 0x82;
        Path bad = dir.resolve("bad.model");
        Files.write(bad, tampered);
        var e = assertThrows(dev.cria.tokenizer.TokenizerFormatException.class, () -> SentencePieceModel.load(bad));
        assertTrue(e.getMessage().contains("self-test"), e.getMessage());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void neverMergesAcrossThePretokenizationDelimiter() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(botchan(), StandardCharsets.UTF_8)) {
            lines.add(l.replace(" the ", " the|").replace("ing", "i|ng"));
        }
        TrainerSpec t = new TrainerSpec();
        NormalizerSpec n = new NormalizerSpec();
        SentencePieceTrainer.applyLlamaOptions(t, n);
        t.values().set("vocab_size", 1000);
        t.values().set("pretokenization_delimiter", "|");
        SentencePieceTrainer.setAllFlags(t, n);
        ModelProto m = SentencePieceTrainer.train(LineSource.of("delimited", lines), t, n, QUIET).model();
        List<String> crossing = m.pieces().stream().map(ModelProto.Piece::piece).filter(p -> p.contains("|") && !p.equals("|")).toList();
        assertEquals(List.of(), crossing);
        assertTrue(m.pieces().stream().noneMatch(p -> p.piece().equals("ing")), "'ing' was always split by the delimiter");
    }

    @Test
    void refusesAVocabularyLargerThanTheCorpusCanFill() {
        TrainerSpec t = new TrainerSpec();
        NormalizerSpec n = new NormalizerSpec();
        SentencePieceTrainer.applyLlamaOptions(t, n);
        t.values().set("vocab_size", 600);
        SentencePieceTrainer.setAllFlags(t, n);
        LineSource tiny = LineSource.of("tiny", List.of("a b c", "abc abc"));
        var e = assertThrows(IllegalArgumentException.class, () -> SentencePieceTrainer.train(tiny, t, n, QUIET));
        assertTrue(e.getMessage().contains("Vocabulary size too high (600)"), e.getMessage());
        t.values().set("hard_vocab_limit", false);
        int size = assertDoesNotThrowSize(tiny, t, n);
        assertTrue(size < 600 && size > 259, "soft limit shrinks the vocabulary: " + size);
    }

    private static int assertDoesNotThrowSize(LineSource s, TrainerSpec t, NormalizerSpec n) {
        try {
            return SentencePieceTrainer.train(s, t, n, QUIET).model().pieces().size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void refusesAnEmptyCorpusAndOutOfRangeOptions() {
        TrainerSpec t = new TrainerSpec();
        NormalizerSpec n = new NormalizerSpec();
        SentencePieceTrainer.applyLlamaOptions(t, n);
        SentencePieceTrainer.setAllFlags(t, n);
        var e = assertThrows(Exception.class, () -> SentencePieceTrainer.train(LineSource.of("empty", List.of("", "")), t, n, QUIET));
        assertTrue(e.getMessage().contains("no training sentences"), e.getMessage());
        t.values().set("character_coverage", 0.5f);
        e = assertThrows(IllegalArgumentException.class, () -> SentencePieceTrainer.train(LineSource.of("x", List.of("abc")), t, n, QUIET));
        assertTrue(e.getMessage().contains("character_coverage"), e.getMessage());
    }

    @Test
    void skipsLinesLongerThanMaxSentenceLengthWithoutHoldingThem(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("huge.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            sb.append("the cat sat on the mat ").append(i).append('\n');
        }
        sb.append("x".repeat(5_000_000)).append('\n');
        Files.writeString(input, sb);
        TrainerSpec t = new TrainerSpec();
        NormalizerSpec n = new NormalizerSpec();
        SentencePieceTrainer.applyLlamaOptions(t, n);
        t.values().set("vocab_size", 290);
        SentencePieceTrainer.setAllFlags(t, n);
        var r = SentencePieceTrainer.train(LineSource.files(List.of(input)), t, n, QUIET);
        assertEquals(1, r.tooLongLines());
        assertEquals(200, r.sentences());
    }

    @Test
    void samplesInputSentencesWithASeed() throws Exception {
        TrainerSpec t = new TrainerSpec();
        NormalizerSpec n = new NormalizerSpec();
        SentencePieceTrainer.applyLlamaOptions(t, n);
        t.values().set("vocab_size", 500);
        t.values().set("input_sentence_size", 1000L);
        SentencePieceTrainer.setAllFlags(t, n);
        var a = SentencePieceTrainer.train(LineSource.files(List.of(botchan())), t, n, QUIET);
        var b = SentencePieceTrainer.train(LineSource.files(List.of(botchan())), t, n, QUIET);
        assertEquals(1000, a.sentences());
        assertEquals(a.model().pieces(), b.model().pieces(), "same seed, same sample, same vocabulary");
        var c = SentencePieceTrainer.train(LineSource.files(List.of(botchan())), t, n, 99L, QUIET);
        assertTrue(!a.model().pieces().equals(c.model().pieces()), "another seed samples other sentences");
    }
}
