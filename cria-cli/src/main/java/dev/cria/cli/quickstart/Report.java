package dev.cria.cli.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (inline SVG charts, no scripts, nothing fetched) with the summary as
 * printed on stdout, the data funnel per stage, the loss curves, the throughput of every training step, the samples,
 * the time and throughput of every step of the recipe, and the command that reruns each step on these files.
 */
public final class Report {
    private Report() {
    }

    public static void write(Quickstart.Result r, List<String> summary) throws IOException {
        Path file = r.layout().report();
        StringBuilder b = new StringBuilder();
        b.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Cria quickstart report</title>
                <style>
                body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
                table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
                td.l,th.l{text-align:left}pre{background:#f4f4f4;padding:.6em;overflow-x:auto}code{background:#f4f4f4}
                .sample{margin:.4em 0}.prompt{font-weight:bold}
                </style></head><body>
                <h1>Cria quickstart: the LLaMA recipe on the embedded Europarl corpus</h1>
                """);
        b.append("<h2 id=\"summary\">Summary</h2>\n<pre>").append(Html.escape(String.join("\n", summary))).append("</pre>\n");

        funnel(b, r);
        training(b, r);
        b.append("<h2 id=\"samples\">Samples</h2>\n<p>Continuations of fixed prompts from <code>")
                .append(Html.escape(r.layout().gguf().toString()))
                .append("</code> (temperature 0.8, top-k 40, seed ").append(r.settings().seed())
                .append("). English Europarl is about 1.3 MB: expect parliamentary phrasing, not fluency.</p>\n");
        for (Quickstart.Sample s : r.samples()) {
            b.append("<p class=\"sample\"><span class=\"prompt\">").append(Html.escape(s.prompt())).append("</span>")
                    .append(Html.escape(s.continuation())).append("</p>\n");
        }
        timings(b, r);
        artifacts(b, r);
        b.append("</body></html>\n");
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temp, b.toString(), StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void funnel(StringBuilder b, Quickstart.Result r) {
        b.append("<h2 id=\"funnel\">Data funnel</h2>\n<p>The CCNet chain, as the data engine counted it (")
                .append("<code>ccnet/english/funnel.json</code>, <code>ccnet/kept/funnel.json</code>). Pages in, per stage.</p>\n");
        b.append("<table><tr><th class=\"l\">stage</th><th>in</th><th>kept</th><th>dropped</th><th>MB in</th><th>MB kept</th>"
                + "<th class=\"l\">dropped by reason</th></tr>\n");
        List<String> labels = new ArrayList<>();
        List<Double> kept = new ArrayList<>();
        EuroparlPages.Written p = r.pages();
        labels.add("Europarl pages");
        kept.add((double) p.pages());
        for (JsonNode funnel : r.funnels()) {
            for (JsonNode st : funnel.path("stages")) {
                long in = st.path("in").path("documents").asLong();
                long k = st.path("kept").path("documents").asLong();
                b.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%d</td><td>%d</td><td>%d</td><td>%.2f</td><td>%.2f</td>"
                                + "<td class=\"l\">%s</td></tr>%n", Html.escape(st.path("name").asText()), in, k, in - k,
                        st.path("in").path("bytes").asLong() / 1e6, st.path("kept").path("bytes").asLong() / 1e6, Html.escape(reasons(st))));
                labels.add(st.path("name").asText());
                kept.add((double) k);
            }
        }
        b.append("</table>\n");
        double[] values = kept.stream().mapToDouble(Double::doubleValue).toArray();
        b.append(SvgChart.bars("pages kept after each stage", labels, values, "pages"));
    }

    private static String reasons(JsonNode stage) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = stage.path("dropped").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            parts.add(e.getKey() + " " + e.getValue().path("documents").asLong());
        }
        return String.join(", ", parts);
    }

    private static void training(StringBuilder b, Quickstart.Result r) {
        List<Quickstart.TrainPoint> t = r.training();
        List<Quickstart.ValPoint> v = r.validation();
        double[] steps = t.stream().mapToDouble(Quickstart.TrainPoint::step).toArray();
        double[] loss = t.stream().mapToDouble(Quickstart.TrainPoint::loss).toArray();
        double[] vSteps = v.stream().mapToDouble(Quickstart.ValPoint::step).toArray();
        double[] vLoss = v.stream().mapToDouble(Quickstart.ValPoint::valLoss).toArray();
        b.append("<h2 id=\"loss\">Loss curves</h2>\n<p>Cross-entropy in nats per token; training loss per step (mean over its ")
                .append(Recipes.BATCH_TOKENS).append("-token batch), validation loss on the held-out shard. From <code>train/metrics.jsonl</code>.</p>\n");
        b.append(SvgChart.lines("loss", "step", "loss (nats/token)", List.of(
                new SvgChart.Series("training", "#4e79a7", steps, loss, false),
                new SvgChart.Series("validation", "#e15759", vSteps, vLoss, true))));
        b.append("<table><tr><th>step</th><th>validation loss</th><th>perplexity</th></tr>\n");
        for (Quickstart.ValPoint p : v) {
            b.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%.4f</td><td>%.2f</td></tr>%n", p.step(), p.valLoss(), Math.exp(p.valLoss())));
        }
        b.append("</table>\n");
        double[] lr = t.stream().mapToDouble(Quickstart.TrainPoint::lr).toArray();
        b.append("<h3>Learning rate</h3>\n<p>AdamW (β1 0.9, β2 0.95, weight decay 0.1), linear warmup then cosine to 10 % of the peak, "
                + "gradient clipping at 1.0 (LLaMA §2.3).</p>\n");
        b.append(SvgChart.lines("learning rate", "step", "learning rate", List.of(new SvgChart.Series("lr", "#59a14f", steps, lr, false))));
        double[] tps = t.stream().mapToDouble(Quickstart.TrainPoint::tokensPerSecond).toArray();
        b.append("<h3 id=\"throughput\">Training throughput per step</h3>\n");
        b.append(SvgChart.lines("tokens per second", "step", "tokens/s", List.of(new SvgChart.Series("tokens/s", "#f28e2b", steps, tps, false))));
    }

    private static void timings(StringBuilder b, Quickstart.Result r) {
        b.append("<h2 id=\"timings\">Steps: time and throughput</h2>\n<p>Wall time ")
                .append(String.format(Locale.ROOT, "%.1f s", r.wallSeconds())).append(" in all, ")
                .append(r.settings().threads()).append(" threads. CPU time counts every thread of the process.</p>\n");
        b.append("<table><tr><th class=\"l\">step</th><th>wall s</th><th>CPU s</th><th>amount</th><th class=\"l\">unit</th><th>per second</th></tr>\n");
        for (StepTiming s : r.timings()) {
            b.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%.1f</td><td>%.1f</td><td>%s</td><td class=\"l\">%s</td><td>%.1f</td></tr>%n",
                    Html.escape(s.step()), s.wallSeconds(), s.cpuSeconds(),
                    String.format(Locale.ROOT, s.amount() >= 100 ? "%.0f" : "%.2f", s.amount()), Html.escape(s.unit()), s.rate()));
        }
        b.append("</table>\n");
        List<String> labels = r.timings().stream().map(StepTiming::step).toList();
        double[] wall = r.timings().stream().mapToDouble(StepTiming::wallSeconds).toArray();
        b.append(SvgChart.bars("wall time per step", labels, wall, "s"));
    }

    private static void artifacts(StringBuilder b, Quickstart.Result r) {
        Quickstart.Layout l = r.layout();
        b.append("<h2 id=\"artifacts\">Artifacts and the commands that use them</h2>\n<p>The quickstart ran these commands in order; each "
                + "reruns on its own from the files in <code>").append(Html.escape(l.dir().toString())).append("</code>.</p>\n<pre>");
        for (Quickstart.Command c : r.commands()) {
            b.append(Html.escape("# " + c.step() + "\n" + c.command() + "\n"));
        }
        b.append("</pre>\n<table><tr><th class=\"l\">file</th><th class=\"l\">what</th><th class=\"l\">use it with</th></tr>\n");
        row(b, l.pages(), "Europarl pages (JSONL shards), paragraphs as lines, meta split lm/corpus", "the recipes below");
        row(b, l.lidRecipe(), "CCNet recipe 1: line dedup, language identification", "./cria data run " + l.lidRecipe());
        row(b, l.english(), "English pages, funnel.json, funnel.html", "recipe 2's input");
        row(b, l.lm().resolve("en.arpa"), "reference 5-gram (ARPA), on SentencePiece pieces of lm/en.sp.model",
                "./cria data lm score --model " + l.lm().resolve("en.arpa") + " --input " + l.lm().resolve("en.pieces.txt"));
        row(b, l.qualityRecipe(), "CCNet recipe 2: perplexity, buckets, C4, Gopher", "./cria data run " + l.qualityRecipe());
        row(b, l.kept(), "kept pages by {language}_{bucket}, funnel.json, funnel.html", "any JSONL reader");
        row(b, l.tokenizer(), "SentencePiece BPE, LLaMA's options", "./cria tokenizer encode --model " + l.tokenizer() + " --pieces");
        row(b, l.shards(), "token shards train.tok, val.tok (docs/training.md)", "the data keys of a training config");
        row(b, l.trainConfig(), "the training config", "./cria train --config " + l.trainConfig() + " --output OTHER_DIR");
        row(b, l.run().resolve("checkpoints"), "checkpoint (safetensors, HF names, optimizer, run state)",
                "./cria train --resume " + l.run() + " --steps N");
        row(b, l.gguf(), "the trained model, f32 GGUF", "./cria generate --model " + l.gguf() + " --prompt 'The Commission'");
        b.append("</table>\n");
    }

    private static void row(StringBuilder b, Path p, String what, String use) {
        b.append("<tr><td class=\"l\"><code>").append(Html.escape(p.toString())).append("</code></td><td class=\"l\">").append(Html.escape(what))
                .append("</td><td class=\"l\"><code>").append(Html.escape(use)).append("</code></td></tr>\n");
    }
}
