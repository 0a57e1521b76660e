package dev.cria.cli.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The summary printed on stdout and repeated verbatim in the report. Its last lines are {@code val_loss: X},
 * {@code val_perplexity: Y} and {@code report: PATH}, for tools that parse them.
 */
public final class Summary {
    private Summary() {
    }

    public static List<String> lines(Quickstart.Result r) {
        List<String> out = new ArrayList<>();
        out.add("== Cria quickstart: the LLaMA recipe on the embedded Europarl corpus ==");
        EuroparlPages.Written p = r.pages();
        out.add(String.format(Locale.ROOT, "pages: %d Europarl documents -> %d pages, %d paragraphs as lines, %.1f MB (%d held out for the"
                + " reference LM)", p.documents(), p.pages(), p.paragraphs(), p.textBytes() / 1e6, p.lmPages()));
        for (JsonNode funnel : r.funnels()) {
            for (JsonNode stage : funnel.path("stages")) {
                out.add(String.format(Locale.ROOT, "  %-26s in %6d  kept %6d  dropped %s", stage.path("name").asText(),
                        stage.path("in").path("documents").asLong(), stage.path("kept").path("documents").asLong(), dropped(stage)));
            }
        }
        out.add(String.format(Locale.ROOT, "reference LM: 5-gram on %d held-out English lines (%d tokens)", r.lmSentences(), r.lmTokens()));
        out.add(String.format(Locale.ROOT, "kept: %d pages, %.2f MB of English text", r.keptPages(), r.keptBytes() / 1e6));
        out.add(String.format(Locale.ROOT, "tokenizer: SentencePiece BPE with LLaMA's options, %d pieces", r.vocabSize()));
        out.add(String.format(Locale.ROOT, "shards: %d training tokens, %d validation tokens", r.trainTokens(), r.validationTokens()));
        ModelSize m = r.settings().size();
        out.add(String.format(Locale.ROOT, "model: %s LLaMA, %d parameters (%s, vocab %d), selective checkpointing", m.optionName(),
                r.parameters(), m.describe(), r.vocabSize()));
        Quickstart.TrainPoint first = r.training().getFirst();
        Quickstart.TrainPoint last = r.training().getLast();
        double tokensPerSecond = r.training().stream().mapToDouble(Quickstart.TrainPoint::tokensPerSecond).average().orElse(0);
        out.add(String.format(Locale.ROOT, "training: %d steps of %d tokens, loss %.4f -> %.4f, %.0f tokens/s", last.step(),
                Recipes.BATCH_TOKENS, first.loss(), last.loss(), tokensPerSecond));
        Quickstart.ValPoint v0 = r.validation().getFirst();
        out.add(String.format(Locale.ROOT, "validation: loss %.4f at step %d -> %.4f at step %d", v0.valLoss(), v0.step(), r.valLoss(),
                r.validation().getLast().step()));
        out.add("samples:");
        for (Quickstart.Sample s : r.samples()) {
            out.add("  " + s.prompt() + " | " + s.continuation().replace('\n', ' '));
        }
        out.add(String.format(Locale.ROOT, "wall time: %.1f s", r.wallSeconds()));
        out.add("val_loss: " + Quickstart.number(r.valLoss()));
        out.add("val_perplexity: " + String.format(Locale.ROOT, "%.2f", r.valPerplexity()));
        out.add("report: " + r.layout().report());
        return out;
    }

    static String dropped(JsonNode stage) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = stage.path("dropped").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            parts.add(e.getKey() + "=" + e.getValue().path("documents").asLong());
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
