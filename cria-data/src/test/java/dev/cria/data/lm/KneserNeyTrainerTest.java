package dev.cria.data.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cria's modified Kneser-Ney estimate against lmplz's ARPA for the same text. */
class KneserNeyTrainerTest {

    private static KneserNeyTrainer train(int order, byte[] text) throws IOException {
        KneserNeyTrainer trainer = new KneserNeyTrainer(order, null, false);
        trainer.addText(new ByteArrayInputStream(text), "train.txt");
        trainer.estimate();
        return trainer;
    }

    /** n-gram text → {log10 p, log10 backoff or NaN}, per ARPA line. */
    private static Map<String, float[]> entries(InputStream arpa) throws IOException {
        Map<String, float[]> out = new HashMap<>();
        ByteLines lines = new ByteLines(arpa);
        boolean inSection = false;
        while (lines.next()) {
            String s = new String(lines.buffer(), lines.start(), lines.end() - lines.start(), StandardCharsets.UTF_8);
            if (s.startsWith("\\")) {
                inSection = s.endsWith("-grams:");
                continue;
            }
            if (!inSection || s.isEmpty()) {
                continue;
            }
            String[] f = s.split("\t");
            float[] v = {Float.parseFloat(f[0]), f.length > 2 ? Float.parseFloat(f[2]) : Float.NaN};
            if (out.put(f[1], v) != null) {
                throw new AssertionError("duplicate n-gram " + f[1]);
            }
        }
        return out;
    }

    @Test
    void trigramModelEqualsLmplzWithinOneTenThousandth() throws IOException {
        byte[] text = Files.readAllBytes(SharedData.file("lm/train.txt"));
        KneserNeyTrainer trainer = train(3, text);
        // lmplz's statistics (o3.lmplz.stderr.txt): tokens, types and discounts per order
        assertEquals(209758, trainer.tokens());
        assertEquals(23372, trainer.types());
        float[][] lmplz = {{0.672146f, 1.10692f, 1.36167f}, {0.809207f, 1.14706f, 1.37809f}, {0.898034f, 1.25242f, 1.41743f}};
        for (int n = 1; n <= 3; n++) {
            Discounts d = trainer.discounts(n);
            assertEquals(lmplz[n - 1][0], d.d1(), 1e-5);
            assertEquals(lmplz[n - 1][1], d.d2(), 1e-5);
            assertEquals(lmplz[n - 1][2], d.d3plus(), 1e-5);
        }
        ByteArrayOutputStream arpa = new ByteArrayOutputStream();
        trainer.writeArpa(arpa);
        Map<String, float[]> ours = entries(new ByteArrayInputStream(arpa.toByteArray()));
        Map<String, float[]> theirs;
        try (InputStream in = Files.newInputStream(SharedData.file("lm/o3.arpa"))) {
            theirs = entries(in);
        }
        assertEquals(23372 + 110055 + 176560, theirs.size());
        assertEquals(theirs.keySet(), ours.keySet());
        double worst = 0;
        String worstNgram = null;
        for (Map.Entry<String, float[]> e : theirs.entrySet()) {
            float[] a = e.getValue();
            float[] b = ours.get(e.getKey());
            double diff = Math.max(Math.abs(a[0] - b[0]), Float.isNaN(a[1]) ? (Float.isNaN(b[1]) ? 0 : 1) : Math.abs(a[1] - b[1]));
            if (diff > worst) {
                worst = diff;
                worstNgram = e.getKey();
            }
        }
        assertTrue(worst <= 1e-4, "largest difference " + worst + " at '" + worstNgram + "'");
        // and the written file loads back with the header counts lmplz wrote
        NgramModel back = ArpaReader.read(new ByteArrayInputStream(arpa.toByteArray()), "trained");
        assertEquals(176560, back.count(3));
    }

    @Test
    void fiveGramDistributionsSumToOneInEveryContext() throws IOException {
        // the first 4,000 lines of train.txt keep the test quick; every order still has unseen contexts
        List<String> lines = Files.readAllLines(SharedData.file("lm/train.txt")).subList(0, 4000);
        byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        KneserNeyTrainer trainer = train(5, text);
        ByteArrayOutputStream arpa = new ByteArrayOutputStream();
        trainer.writeArpa(arpa);
        NgramModel model = ArpaReader.read(new ByteArrayInputStream(arpa.toByteArray()), "o5");
        assertEquals(5, model.order());
        // contexts of every length, seen and unseen: Σ_w p(w | h) over the vocabulary without <s> is 1
        String[] contexts = {"", "alice", "alice was beginning to", "the queen said", "said the king to", "it was the best", "zzz unseen words here"};
        LmState state = model.newState();
        LmState next = model.newState();
        LmState ctx = model.newState();
        for (String context : contexts) {
            model.beginSentence(ctx);
            for (String w : context.split(" ")) {
                if (!w.isEmpty()) {
                    model.score(ctx, model.vocabulary().index(w), next);
                    ctx.copyFrom(next);
                }
            }
            double sum = 0;
            for (int id = 0; id < model.vocabulary().size(); id++) {
                if (id != model.bosId()) {
                    state.copyFrom(ctx);
                    sum += Math.pow(10, model.score(state, id, next));
                }
            }
            assertEquals(1.0, sum, 1e-4, "context '<s> " + context + "'");
        }
    }

    @Test
    void discountsOfTinyTextNeedTheFallback() throws IOException {
        byte[] text = "a b\n".getBytes(StandardCharsets.UTF_8);
        KneserNeyTrainer strict = new KneserNeyTrainer(2, null, false);
        strict.addText(new ByteArrayInputStream(text), "tiny");
        IllegalStateException e = assertThrows(IllegalStateException.class, strict::estimate);
        assertTrue(e.getMessage().contains("--discount_fallback"), e.getMessage());
        KneserNeyTrainer lenient = new KneserNeyTrainer(2, Discounts.LMPLZ_FALLBACK, false);
        lenient.addText(new ByteArrayInputStream(text), "tiny");
        lenient.estimate();
        assertEquals(0.5f, lenient.discounts(1).d1());
    }

    @Test
    void specialWordsInTheTextAreRejectedWithTheirLine() {
        KneserNeyTrainer trainer = new KneserNeyTrainer(3, null, false);
        byte[] text = "fine line\nbad <s> line\n".getBytes(StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.addText(new ByteArrayInputStream(text), "corpus.txt"));
        assertTrue(e.getMessage().startsWith("corpus.txt:2: special word <s>"), e.getMessage());
    }
}
