package dev.cria.cli.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.cli.CliRun;
import dev.cria.testing.SharedData;
import dev.cria.tokenizer.spm.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    @Test
    void trainsWithLlamaOptionsTheVocabularySpmTrainLearned(@TempDir Path dir) throws Exception {
        String prefix = dir.resolve("botchan").toString();
        CliRun run = CliRun.run("tokenizer", "train", "--input", SharedData.file("tokenizer/spm-trained/botchan.txt").toString(),
                "--llama", "--vocab-size", "1000", "--output", prefix, "--num-threads", "1", "--quiet");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.out().contains("vocab_size: 1000"), run.out());
        assertEquals(ModelProto.read(SharedData.file("tokenizer/spm-trained/botchan_bpe1k_llamaopts.model")).pieces(),
                ModelProto.read(Path.of(prefix + ".model")).pieces());
        assertEquals(Files.readString(SharedData.file("tokenizer/spm-trained/botchan_bpe1k_llamaopts.vocab")),
                Files.readString(Path.of(prefix + ".vocab")));
    }

    @Test
    void acceptsSpmTrainFlagsInKebabCase(@TempDir Path dir) throws Exception {
        String prefix = dir.resolve("m").toString();
        CliRun run = CliRun.run("tokenizer", "train", "--input", SharedData.file("tokenizer/spm-trained/botchan.txt").toString(),
                "--model-type", "bpe", "--vocab-size", "600", "--output", prefix, "--split-digits", "--byte-fallback=true",
                "--character-coverage", "1.0", "--user-defined-symbols", "<sep>,<cls>", "--normalization-rule-name", "identity", "--quiet");
        assertEquals(0, run.exitCode(), run.stderr());
        ModelProto m = ModelProto.read(Path.of(prefix + ".model"));
        assertTrue(m.trainerSpec().splitDigits());
        assertTrue(m.trainerSpec().byteFallback());
        assertEquals("<sep>", m.pieces().get(3).piece(), "user-defined symbols follow the special pieces");
        assertEquals("identity", m.normalizerSpec().name());
    }

    @Test
    void refusesBadOptionValuesAndMissingInputs(@TempDir Path dir) {
        String prefix = dir.resolve("m").toString();
        CliRun bad = CliRun.run("tokenizer", "train", "--input", SharedData.file("tokenizer/spm-trained/botchan.txt").toString(),
                "--vocab-size", "lots", "--output", prefix);
        assertEquals(1, bad.exitCode());
        assertTrue(bad.stderr().contains("--vocab-size"), bad.stderr());
        CliRun missing = CliRun.run("tokenizer", "train", "--input", dir.resolve("nope.txt").toString(), "--output", prefix);
        assertEquals(1, missing.exitCode());
        assertTrue(missing.stderr().contains("no such input file"), missing.stderr());
        CliRun tooBig = CliRun.run("tokenizer", "train", "--input", SharedData.file("tokenizer/spm-trained/botchan.txt").toString(),
                "--output", prefix, "--quiet");
        assertEquals(1, tooBig.exitCode());
        assertTrue(tooBig.stderr().contains("Vocabulary size too high (8000)"), tooBig.stderr());
        assertFalse(Files.exists(Path.of(prefix + ".model")), "nothing half-written");
    }

    @Test
    void trainsUnigramModelsByDefaultAsSpmTrainDoes(@TempDir Path dir) throws Exception {
        String prefix = dir.resolve("unigram").toString();
        CliRun run = CliRun.run("tokenizer", "train", "--input", SharedData.file("tokenizer/spm-trained/botchan.txt").toString(),
                "--vocab-size", "2000", "--output", prefix, "--quiet");
        assertEquals(0, run.exitCode(), run.stderr());
        ModelProto m = ModelProto.read(Path.of(prefix + ".model"));
        assertEquals(dev.cria.tokenizer.spm.ModelType.UNIGRAM, m.trainerSpec().modelType());
        assertEquals(2000, m.pieces().size());
        assertEquals("nmt_nfkc", m.normalizerSpec().name());
    }
}
