package dev.cria.data.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.data.Document;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.StageContext;
import dev.cria.testing.ReferenceTool;
import dev.cria.testing.SharedData;
import dev.cria.tokenizer.spm.SentencePieceModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CCNet's document perplexity end to end, with models made as CCNet makes them: SentencePiece's own {@code spm_train}
 * (unigram) on normalized text, a 3-gram trained on {@code spm_encode}'s pieces of it. The reference for each
 * document is SentencePiece's {@code spm_encode} pieces of the normalized document, scored by the KenLM-equivalent
 * {@link QueryScorer} (checked against KenLM's query output in {@link KenlmQueryParityTest}).
 */
class CcnetPerplexityTest {
    @TempDir
    static Path dir;

    private static Path spModel;
    private static Path arpa;
    private static ReferenceTool spmEncode;

    @BeforeAll
    static void trainModels() throws IOException {
        ReferenceTool spmTrain = ReferenceTool.require("spm_train", "sentencepiece");
        spmEncode = ReferenceTool.require("spm_encode", "sentencepiece");
        List<String> train = Files.readAllLines(SharedData.file("lm/train.txt"));
        List<String> normalized = new ArrayList<>();
        for (String line : train.subList(0, 3000)) {
            normalized.add(CcnetLmNormalizer.normalize(line));
        }
        Path text = dir.resolve("train.norm.txt");
        Files.write(text, normalized, StandardCharsets.UTF_8);
        spmTrain.run(null, "--input=" + text, "--model_prefix=" + dir.resolve("en.sp"), "--model_type=unigram",
                "--vocab_size=1000", "--character_coverage=0.9995", "--hard_vocab_limit", "--minloglevel=2");
        spModel = dir.resolve("en.sp.model");
        byte[] pieces = spmEncode.run(text, "--model=" + spModel, "--output_format=piece");
        KneserNeyTrainer trainer = new KneserNeyTrainer(3, Discounts.LMPLZ_FALLBACK, false);
        trainer.addText(new ByteArrayInputStream(pieces), "pieces");
        arpa = dir.resolve("en.arpa");
        try (var out = Files.newOutputStream(arpa)) {
            trainer.writeArpa(out);
        }
    }

    private static List<String> documents() throws IOException {
        List<String> test = Files.readAllLines(SharedData.file("lm/test.txt"));
        List<String> docs = new ArrayList<>();
        for (int i = 0; i + 4 <= 200; i += 4) {
            docs.add(String.join("\n", test.subList(i, i + 4)));
        }
        docs.add("Café « Crème » — 1911…\n\nSecond LINE, with tabs\tand ＜odd＞ ｆｕｌｌｗｉｄｔｈ");
        docs.add("龘 unknown 龘龘 characters 漢字 at the end 龘");
        docs.add("Ελληνικά κείμενα και русский текст");
        return docs;
    }

    @Test
    void perplexityEqualsSentencePiecePlusKenlmScoring() throws IOException {
        CcnetPerplexity scorer = CcnetPerplexity.load(spModel, arpa);
        List<String> docs = documents();
        List<String> normalized = docs.stream().map(CcnetLmNormalizer::normalize).toList();
        Path input = dir.resolve("docs.norm.txt");
        Files.write(input, normalized, StandardCharsets.UTF_8);
        List<String> pieces = spmEncode.runLines(input, "--model=" + spModel, "--output_format=piece");
        assertEquals(docs.size(), pieces.size());
        QueryScorer kenlm = new QueryScorer(scorer.model());
        for (int i = 0; i < docs.size(); i++) {
            byte[] line = pieces.get(i).getBytes(StandardCharsets.UTF_8);
            kenlm.scoreLine(line, 0, line.length);
            int length = pieces.get(i).split(" ").length + 1;
            double expected = CcnetPerplexity.roundOneDecimal(Math.pow(10.0, -(double) kenlm.lineTotal() / length));
            CcnetPerplexity.Score score = scorer.score(docs.get(i));
            assertEquals(length, score.length(), "document " + i + ": " + pieces.get(i));
            assertEquals(kenlm.lineTotal(), score.log10(), 1e-6, "document " + i + ": " + pieces.get(i));
            assertEquals(expected, scorer.perplexity(docs.get(i)), "document " + i);
        }
    }

    @Test
    void unknownRunsAreSpelledAsSentencePiecePrintsThem() throws IOException {
        CcnetPerplexity scorer = CcnetPerplexity.load(spModel, arpa);
        SentencePieceModel sp = SentencePieceModel.load(spModel);
        String text = CcnetLmNormalizer.normalize("龘 unknown 龘龘 characters 漢字 at the end 龘");
        Path input = dir.resolve("unk.txt");
        Files.writeString(input, text + "\n");
        String expected = spmEncode.runLines(input, "--model=" + spModel, "--output_format=piece").get(0);
        assertEquals(expected, String.join(" ", scorer.surfaces(text, sp.encode(text))));
        assertTrue(expected.contains("龘龘"), expected);
    }

    @Test
    void roundsHalfToEvenOnTheBinaryValueAsPython() {
        // CPython 3: round(304.55, 1), round(0.25, 1), round(0.35, 1), round(0.45, 1), round(1.25, 1)
        assertEquals(304.6, CcnetPerplexity.roundOneDecimal(304.55));
        assertEquals(0.2, CcnetPerplexity.roundOneDecimal(0.25));
        assertEquals(0.3, CcnetPerplexity.roundOneDecimal(0.35));
        assertEquals(0.5, CcnetPerplexity.roundOneDecimal(0.45));
        assertEquals(1.2, CcnetPerplexity.roundOneDecimal(1.25));
    }

    @Test
    void emptyDocumentsGetNoPerplexityAndOtherLanguagesPassUnchanged() throws IOException {
        CcnetPerplexity scorer = CcnetPerplexity.load(spModel, arpa);
        assertNull(scorer.score(" \n\t "));
        PerplexityStage stage = new PerplexityStage(Map.of("en",
                new PerplexityStage.LanguageModel(spModel.getFileName().toString(), arpa.getFileName().toString())));
        stage.open(new StageContext(dir, 0));
        Document en = new Document("1", "Alice was beginning to get very tired.", "cc", Map.of("language", "en"));
        Document de = new Document("2", "Ein deutscher Text.", "cc", Map.of("language", "de"));
        Document blank = new Document("3", "\n\n", "cc", Map.of("language", "en"));
        Object pp = ((Outcome.Keep) stage.apply(en)).document().meta().get("perplexity");
        assertEquals(scorer.perplexity(en.text()), pp);
        assertEquals(de, ((Outcome.Keep) stage.apply(de)).document());
        assertEquals(blank, ((Outcome.Keep) stage.apply(blank)).document());
    }
}
