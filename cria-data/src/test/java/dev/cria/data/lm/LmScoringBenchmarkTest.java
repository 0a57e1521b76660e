package dev.cria.data.lm;

import dev.cria.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lines per second of KenLM-style scoring on the shared 3-gram and Peter Pan text (test.txt, 2,000 lines, 21,357
 * words, repeated 50 times), after loading, as KenLM's own figure (about 230,000 lines/s here) is measured; and the
 * time of a 5-gram estimate on train.txt against lmplz's 0.59 s. Prints medians of wall time and of this thread's
 * CPU time (the honest figure on a shared, overloaded machine); asserts nothing.
 * Run: {@code mvn -o -pl cria-data test -Dtest=LmScoringBenchmarkTest -Dcria.excludedGroups=none}.
 */
@Tag("benchmark")
class LmScoringBenchmarkTest {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    @Test
    void scoringLinesPerSecond() throws IOException {
        long t0 = System.nanoTime();
        long c0 = CPU.getCurrentThreadCpuTime();
        NgramModel model = NgramModel.readArpa(SharedData.file("lm/o3.arpa"));
        System.out.printf("load o3.arpa (9.5 MB, 309,987 n-grams): %.3f s wall, %.3f s CPU%n", (System.nanoTime() - t0) / 1e9,
                (CPU.getCurrentThreadCpuTime() - c0) / 1e9);
        byte[] one = Files.readAllBytes(SharedData.file("lm/test.txt"));
        int copies = 50;
        byte[] text = new byte[one.length * copies];
        for (int i = 0; i < copies; i++) {
            System.arraycopy(one, 0, text, i * one.length, one.length);
        }
        int lines = 2000 * copies;
        double[] scoreOnly = new double[9];
        double[] withOutput = new double[9];
        double[] scoreOnlyCpu = new double[9];
        double[] withOutputCpu = new double[9];
        for (int rep = 0; rep < scoreOnly.length; rep++) {
            QueryScorer scorer = new QueryScorer(model);
            long s = System.nanoTime();
            long c = CPU.getCurrentThreadCpuTime();
            int start = 0;
            for (int i = 0; i < text.length; i++) {
                if (text[i] == '\n') {
                    scorer.scoreLine(text, start, i);
                    start = i + 1;
                }
            }
            scoreOnly[rep] = lines / ((System.nanoTime() - s) / 1e9);
            scoreOnlyCpu[rep] = lines / ((CPU.getCurrentThreadCpuTime() - c) / 1e9);

            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
            QueryScorer printing = new QueryScorer(model);
            s = System.nanoTime();
            c = CPU.getCurrentThreadCpuTime();
            ByteLines in = new ByteLines(new ByteArrayInputStream(text));
            byte[] buf = new byte[1 << 16];
            int n = 0;
            while (in.next()) {
                printing.scoreLine(in.buffer(), in.start(), in.end());
                if (n > buf.length - 64) {
                    out.write(buf, 0, n);
                    n = 0;
                }
                n = ShortestDecimal.write(printing.lineTotal(), buf, n);
                buf[n++] = '\t';
                buf[n++] = (byte) ('0' + Math.min(9, printing.lineOov()));
                buf[n++] = '\n';
            }
            out.write(buf, 0, n);
            withOutput[rep] = lines / ((System.nanoTime() - s) / 1e9);
            withOutputCpu[rep] = lines / ((CPU.getCurrentThreadCpuTime() - c) / 1e9);
        }
        for (double[] v : new double[][] {scoreOnly, withOutput, scoreOnlyCpu, withOutputCpu}) {
            Arrays.sort(v);
        }
        System.out.printf("score only: median %.0f lines/s wall (%.2f M tokens/s), %.0f lines/s per CPU second; best %.0f wall%n",
                scoreOnly[4], scoreOnly[4] * 23357 / 2000 / 1e6, scoreOnlyCpu[4], scoreOnly[8]);
        System.out.printf("read + score + print T<TAB>N: median %.0f lines/s wall, %.0f lines/s per CPU second; best %.0f wall%n",
                withOutput[4], withOutputCpu[4], withOutput[8]);
    }

    @Test
    void fiveGramTrainingSeconds() throws IOException {
        byte[] text = Files.readAllBytes(SharedData.file("lm/train.txt"));
        double[] seconds = new double[3];
        for (int rep = 0; rep < seconds.length; rep++) {
            long s = CPU.getCurrentThreadCpuTime();
            KneserNeyTrainer trainer = new KneserNeyTrainer(5, null, false);
            trainer.addText(new ByteArrayInputStream(text), "train.txt");
            trainer.writeArpa(new ByteArrayOutputStream(1 << 24));
            seconds[rep] = (CPU.getCurrentThreadCpuTime() - s) / 1e9;
        }
        Arrays.sort(seconds);
        System.out.printf("train 5-gram on train.txt and write ARPA: median %.2f s CPU, best %.2f s CPU%n", seconds[1], seconds[0]);
    }
}
