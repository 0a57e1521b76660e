package dev.cria.data.lid;

import dev.cria.testing.ReferenceTool;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Texts per second on one core, Cria against Debian's fastText, on the Lingua sentences and word pairs with lid.176:
 * CPU time (user + system) of {@code fasttext predict-prob MODEL FILE 1 > /dev/null}, against the CPU time of the
 * thread running Cria's same work (predict, then format the line as predict-prob prints it) after a warm-up. Medians
 * of several runs, since the machine is shared.
 */
@Tag("benchmark")
class LidThroughputBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void printsTextsPerSecondOfCriaAndFasttext() throws Exception {
        ReferenceTool fasttext = ReferenceTool.require("fasttext", "fasttext");
        FastTextClassifier model = FastTextClassifier.load(LinguaTexts.model());
        StringBuilder report = new StringBuilder();
        for (String category : List.of("sentences", "word-pairs")) {
            Path input = dir.resolve(category + ".txt");
            int lines = LinguaTexts.concatenate(category, 1, input).size();
            double fast = median(5, () -> fasttextCpuSeconds(fasttext, input));
            byte[] bytes = Files.readAllBytes(input);
            criaCpuSeconds(model, bytes);
            criaCpuSeconds(model, bytes);
            double cria = median(7, () -> criaCpuSeconds(model, bytes));
            report.append(String.format(Locale.ROOT, "%s: %d texts; fastText %.3f s CPU = %.0f texts/s; Cria %.3f s CPU "
                    + "= %.0f texts/s; Cria/fastText %.2fx%n", category, lines, fast, lines / fast, cria, lines / cria,
                    fast / cria));
        }
        System.out.print(report);
    }

    private interface Measure {
        double seconds() throws Exception;
    }

    private static double median(int runs, Measure m) throws Exception {
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            t[i] = m.seconds();
        }
        Arrays.sort(t);
        return t[runs / 2];
    }

    private static double fasttextCpuSeconds(ReferenceTool fasttext, Path input) throws IOException, InterruptedException {
        String script = "TIMEFORMAT='%3U %3S'; time '" + fasttext.path() + "' predict-prob '" + LinguaTexts.model()
                + "' '" + input + "' 1 > /dev/null";
        Process p = new ProcessBuilder("bash", "-c", script).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("fasttext failed: " + err);
        }
        String[] times = err.substring(err.lastIndexOf('\n') + 1).split(" ");
        return Double.parseDouble(times[0]) + Double.parseDouble(times[1]);
    }

    private static double criaCpuSeconds(FastTextClassifier model, byte[] text) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        FastTextClassifier.Scratch s = model.newScratch();
        StringBuilder out = new StringBuilder(1 << 16);
        List<Integer> sink = new ArrayList<>();
        long start = threads.getCurrentThreadCpuTime();
        int lineStart = 0;
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\n') {
                int n = model.predictLine(text, lineStart, i, true, 1, 0f, s);
                model.appendPredictProb(s, n, out);
                if (out.length() > 1 << 15) {
                    sink.add(out.length());
                    out.setLength(0);
                }
                lineStart = i + 1;
            }
        }
        return (threads.getCurrentThreadCpuTime() - start) / 1e9;
    }
}
