package dev.cria.cli.train;

import static com.github.pemistahl.lingua.api.Language.BULGARIAN;
import static com.github.pemistahl.lingua.api.Language.CZECH;
import static com.github.pemistahl.lingua.api.Language.DANISH;
import static com.github.pemistahl.lingua.api.Language.DUTCH;
import static com.github.pemistahl.lingua.api.Language.ENGLISH;
import static com.github.pemistahl.lingua.api.Language.ESTONIAN;
import static com.github.pemistahl.lingua.api.Language.FINNISH;
import static com.github.pemistahl.lingua.api.Language.FRENCH;
import static com.github.pemistahl.lingua.api.Language.GERMAN;
import static com.github.pemistahl.lingua.api.Language.GREEK;
import static com.github.pemistahl.lingua.api.Language.HUNGARIAN;
import static com.github.pemistahl.lingua.api.Language.ITALIAN;
import static com.github.pemistahl.lingua.api.Language.LATVIAN;
import static com.github.pemistahl.lingua.api.Language.LITHUANIAN;
import static com.github.pemistahl.lingua.api.Language.POLISH;
import static com.github.pemistahl.lingua.api.Language.PORTUGUESE;
import static com.github.pemistahl.lingua.api.Language.ROMANIAN;
import static com.github.pemistahl.lingua.api.Language.SLOVAK;
import static com.github.pemistahl.lingua.api.Language.SLOVENE;
import static com.github.pemistahl.lingua.api.Language.SPANISH;
import static com.github.pemistahl.lingua.api.Language.SWEDISH;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import dev.cria.data.europarl.Europarl;
import dev.cria.data.europarl.EuroparlDocument;
import dev.cria.tokenizer.shard.TokenShardWriter;
import dev.cria.tokenizer.spm.ModelProto;
import dev.cria.tokenizer.spm.NormalizerSpec;
import dev.cria.tokenizer.spm.SentencePieceModel;
import dev.cria.tokenizer.spm.TrainerSpec;
import dev.cria.tokenizer.train.LineSource;
import dev.cria.tokenizer.train.SentencePieceTrainer;
import dev.cria.tokenizer.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tokenizer and token shards made from the Europarl corpus embedded in Cria, so a training config can run on a fresh
 * clone with no other step. In the cache folder:
 * <pre>
 *   tokenizer.model   SentencePiece BPE trained with LLaMA's options (split digits, byte fallback) on the documents
 *   train.tok         every document but each twentieth, as BOS paragraphs… EOS
 *   val.tok           each twentieth document (held out whole)
 *   manifest.json     written last: the language, vocabulary size and counts; its presence means the rest is complete
 * </pre>
 * With {@code language: en} a document is kept when the Lingua library, choosing among Europarl's 21 languages,
 * says English (its low-accuracy mode, enough for texts of a kilobyte). Lingua is slow on a whole corpus, so it only judges documents where English function words are
 * frequent (at least four of "the", "of", "and", "to", "that", "is"), which rules out the other languages cheaply.
 */
public final class EuroparlTokens {

    /** The prepared files. */
    public record Prepared(Path tokenizer, Path train, Path validation, long trainTokens, long validationTokens) {
    }

    static final String MANIFEST = "manifest.json";
    private static final int VALIDATION_EVERY = 20;
    private static final Pattern ENGLISH_WORDS = Pattern.compile("\\b(?:the|of|and|to|that|is)\\b");

    private EuroparlTokens() {
    }

    /** The default cache folder for a language and vocabulary size. */
    public static Path defaultCache(String language, int vocabSize) {
        return Path.of(".cria-cache", "europarl-" + language + "-" + vocabSize);
    }

    /** Prepares the files in {@code cache}, or reuses them when a complete preparation with the same settings is there. */
    public static Prepared prepare(String language, int vocabSize, Path cache, PrintStream log) throws IOException {
        Path manifest = cache.resolve(MANIFEST);
        Prepared prepared = new Prepared(cache.resolve("tokenizer.model"), cache.resolve("train.tok"), cache.resolve("val.tok"), 0, 0);
        if (Files.exists(manifest)) {
            JsonNode m = new ObjectMapper().readTree(manifest.toFile());
            if (language.equals(m.path("language").asText()) && vocabSize == m.path("vocab_size").asInt()) {
                log.printf(Locale.ROOT, "europarl: using the tokenizer and shards cached in %s%n", cache);
                return new Prepared(prepared.tokenizer(), prepared.train(), prepared.validation(), m.path("train_tokens").asLong(),
                        m.path("validation_tokens").asLong());
            }
            Files.delete(manifest);
        }
        Files.createDirectories(cache);
        long start = System.nanoTime();
        List<String> documents = documents(language, log);
        // Tokenizer training sees paragraphs as lines (spm_train's sentences); the shards hold whole documents.
        List<String> lines = new ArrayList<>();
        for (String d : documents) {
            lines.addAll(d.lines().toList());
        }
        TrainerSpec trainer = new TrainerSpec();
        NormalizerSpec normalizer = new NormalizerSpec();
        SentencePieceTrainer.applyLlamaOptions(trainer, normalizer);
        trainer.values().set("vocab_size", vocabSize);
        trainer.values().set("model_prefix", "tokenizer");
        SentencePieceTrainer.setAllFlags(trainer, normalizer);
        log.printf(Locale.ROOT, "europarl: training a %,d-piece BPE tokenizer (LLaMA's options) on %,d documents%n", vocabSize, documents.size());
        ModelProto proto = SentencePieceTrainer.train(LineSource.of("europarl " + language, lines), trainer, normalizer,
                SentencePieceTrainer.DEFAULT_SEED, TrainingListener.QUIET).model();
        Path tokenizerTemp = cache.resolve(".tokenizer.model.tmp");
        proto.write(tokenizerTemp);
        Files.move(tokenizerTemp, prepared.tokenizer(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        SentencePieceModel spm = SentencePieceModel.load(prepared.tokenizer());

        long trainTokens;
        long validationTokens;
        try (TokenShardWriter train = TokenShardWriter.create(prepared.train(), spm.vocabSize(), spm.bosId(), spm.eosId());
             TokenShardWriter val = TokenShardWriter.create(prepared.validation(), spm.vocabSize(), spm.bosId(), spm.eosId())) {
            for (int i = 0; i < documents.size(); i++) {
                byte[] utf8 = documents.get(i).getBytes(StandardCharsets.UTF_8);
                int[] ids = spm.encode(utf8, 0, utf8.length);
                (i % VALIDATION_EVERY == VALIDATION_EVERY - 1 ? val : train).addDocument(ids);
            }
            trainTokens = train.commit().tokenCount();
            validationTokens = val.commit().tokenCount();
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = json.createObjectNode();
        m.put("language", language);
        m.put("vocab_size", vocabSize);
        m.put("documents", documents.size());
        m.put("train_tokens", trainTokens);
        m.put("validation_tokens", validationTokens);
        Path manifestTemp = cache.resolve("." + MANIFEST + ".tmp");
        Files.write(manifestTemp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
        Files.move(manifestTemp, manifest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        log.printf(Locale.ROOT, "europarl: %,d training and %,d validation tokens in %s (%.1f s)%n", trainTokens, validationTokens, cache,
                (System.nanoTime() - start) / 1e9);
        return new Prepared(prepared.tokenizer(), prepared.train(), prepared.validation(), trainTokens, validationTokens);
    }

    /** The documents of the language, each its paragraphs joined by newlines. */
    private static List<String> documents(String language, PrintStream log) throws IOException {
        List<EuroparlDocument> all = new ArrayList<>();
        try (Europarl europarl = Europarl.open()) {
            europarl.forEach(all::add);
        }
        LanguageDetector lingua = null;
        if (language.equals("en")) {
            log.printf(Locale.ROOT, "europarl: picking the English documents of %,d with Lingua%n", all.size());
            lingua = LanguageDetectorBuilder.fromLanguages(BULGARIAN, CZECH, DANISH, GERMAN, GREEK, ENGLISH, SPANISH, ESTONIAN, FINNISH,
                    FRENCH, HUNGARIAN, ITALIAN, LITHUANIAN, LATVIAN, DUTCH, POLISH, PORTUGUESE, ROMANIAN, SLOVAK, SLOVENE, SWEDISH).withLowAccuracyMode().build();
        }
        List<String> out = new ArrayList<>();
        for (EuroparlDocument d : all) {
            String text = String.join("\n", d.paragraphs());
            if (text.isEmpty()) {
                continue;
            }
            if (lingua != null && (englishWords(text) < 4 || lingua.detectLanguageOf(text) != ENGLISH)) {
                continue;
            }
            out.add(text);
        }
        return out;
    }

    private static int englishWords(String text) {
        Matcher m = ENGLISH_WORDS.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
