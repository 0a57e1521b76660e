package dev.cria.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.tokenizer.spm.SentencePieceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartCommandTest {

    @Test
    void trainsATokenizerOnTheEmbeddedCorpusAndShowsSamples(@TempDir Path dir) throws Exception {
        CliRun run = CliRun.run("quickstart", "--output", dir.toString(), "--vocab-size", "2000");
        assertEquals(0, run.exitCode(), run.stderr());
        String out = run.out();
        assertTrue(out.contains("17597 documents, 56187 paragraphs"), out);
        assertTrue(out.contains("decode: round trip ok"), out);
        assertTrue(!out.contains("MISMATCH"), out);
        SentencePieceModel model = SentencePieceModel.load(dir.resolve("tokenizer.model"));
        assertEquals(2000, model.vocabSize());
        assertEquals(true, model.byteFallback());
        assertTrue(Files.size(dir.resolve("europarl-paragraphs.txt")) > 19_000_000);
        assertTrue(out.strip().lines().anyMatch(l -> l.equals("model: " + dir.resolve("tokenizer") + ".model")), out);
    }
}
