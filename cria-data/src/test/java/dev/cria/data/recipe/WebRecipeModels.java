package dev.cria.data.recipe;

import dev.cria.data.lm.CcnetLmNormalizer;
import dev.cria.data.lm.Discounts;
import dev.cria.data.lm.KneserNeyTrainer;
import dev.cria.testing.SharedData;
import dev.cria.tokenizer.spm.NormalizerSpec;
import dev.cria.tokenizer.spm.SentencePieceModel;
import dev.cria.tokenizer.spm.TrainerSpec;
import dev.cria.tokenizer.train.LineSource;
import dev.cria.tokenizer.train.SentencePieceTrainer;
import dev.cria.tokenizer.train.TrainingListener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The English perplexity models the CCNet recipe needs, made as CCNet made its own (DATA-RULES §2.5–2.6) but small:
 * text normalized with CCNet's {@code normalize}, a unigram SentencePiece model trained on it, and a 5-gram
 * Kneser-Ney model on the pieces (pieces the model cannot cover come out as {@code <unk>}, read as spaces, as
 * lmplz's {@code --skip_symbols} does). The text is {@code lm/train.txt} (Peter Pan) instead of Wikipedia opening texts.
 */
final class WebRecipeModels {
    private WebRecipeModels() {
    }

    /** Writes {@code dir/en.sp.model} and {@code dir/en.arpa}; returns {@code dir}. */
    static Path english(Path dir, int lines) throws IOException {
        List<String> normalized = new ArrayList<>();
        for (String line : Files.readAllLines(SharedData.file("lm/train.txt")).subList(0, lines)) {
            String n = CcnetLmNormalizer.normalize(line);
            if (!n.isEmpty()) {
                normalized.add(n);
            }
        }
        TrainerSpec trainer = new TrainerSpec();
        trainer.values().set("vocab_size", 1000);
        trainer.values().set("hard_vocab_limit", false);
        trainer.values().set("character_coverage", 0.9995f);
        SentencePieceTrainer.trainAndWrite(LineSource.of("normalized train.txt", normalized), trainer, new NormalizerSpec(),
                dir.resolve("en.sp").toString(), TrainingListener.QUIET);
        SentencePieceModel sp = SentencePieceModel.load(dir.resolve("en.sp.model"));
        StringBuilder pieces = new StringBuilder();
        for (String line : normalized) {
            byte[] utf8 = line.getBytes(StandardCharsets.UTF_8);
            int[] ids = sp.encode(utf8, 0, utf8.length);
            for (int i = 0; i < ids.length; i++) {
                pieces.append(i == 0 ? "" : " ").append(sp.piece(ids[i]));
            }
            pieces.append('\n');
        }
        KneserNeyTrainer lm = new KneserNeyTrainer(5, Discounts.LMPLZ_FALLBACK, true);
        lm.addText(new ByteArrayInputStream(pieces.toString().getBytes(StandardCharsets.UTF_8)), "pieces");
        try (var out = Files.newOutputStream(dir.resolve("en.arpa"))) {
            lm.writeArpa(out);
        }
        return dir;
    }
}
