package dev.cria.data.lm;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Perplexity percentiles per language in CCNet's {@code cutoff.csv} layout: a header row {@code ,lang1,lang2,...},
 * then one row per percentile {@code p,v1,v2,...} (CCNet ships p = 0..99). Rows are found by their percentile label,
 * as pandas' {@code read_csv(index_col=0)} then {@code cutoffs[lang][p]} finds them. An empty cell is NaN.
 */
public final class PerplexityCutoffs implements Serializable {
    private final int[] percentiles;
    private final Map<String, double[]> values;

    public PerplexityCutoffs(int[] percentiles, Map<String, double[]> values) {
        this.percentiles = percentiles.clone();
        this.values = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v.length != percentiles.length) {
                throw new IllegalArgumentException(k + ": " + v.length + " values for " + percentiles.length + " percentiles");
            }
            this.values.put(k, v.clone());
        });
    }

    public static PerplexityCutoffs read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        return parse(lines, csv.toString());
    }

    static PerplexityCutoffs parse(List<String> lines, String name) throws IOException {
        if (lines.isEmpty()) {
            throw new IOException(name + ":1: empty cutoff file; expected a header ',lang1,lang2,...'");
        }
        String[] header = lines.get(0).strip().split(",", -1);
        if (header.length < 2) {
            throw new IOException(name + ":1: expected a header ',lang1,lang2,...', found '" + lines.get(0) + "'");
        }
        String[] languages = Arrays.copyOfRange(header, 1, header.length);
        List<Integer> labels = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != header.length) {
                throw new IOException(name + ":" + (i + 1) + ": expected " + header.length + " cells like the header, found "
                        + cells.length);
            }
            try {
                labels.add((int) Double.parseDouble(cells[0]));
                double[] row = new double[languages.length];
                for (int c = 0; c < languages.length; c++) {
                    String cell = cells[c + 1].strip();
                    row[c] = cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
                }
                rows.add(row);
            } catch (NumberFormatException e) {
                throw new IOException(name + ":" + (i + 1) + ": expected numbers, found '" + line + "'");
            }
        }
        int[] percentiles = labels.stream().mapToInt(Integer::intValue).toArray();
        Map<String, double[]> values = new LinkedHashMap<>();
        for (int c = 0; c < languages.length; c++) {
            double[] column = new double[rows.size()];
            for (int r = 0; r < column.length; r++) {
                column[r] = rows.get(r)[c];
            }
            values.put(languages[c], column);
        }
        return new PerplexityCutoffs(percentiles, values);
    }

    /**
     * Cutoffs from observed perplexities: for every language, percentiles 0..99 with numpy's default (linear)
     * interpolation between order statistics, {@code np.percentile(sample, range(100))}.
     */
    public static PerplexityCutoffs fromSample(Map<String, double[]> perplexitiesByLanguage) {
        int[] percentiles = new int[100];
        for (int p = 0; p < 100; p++) {
            percentiles[p] = p;
        }
        Map<String, double[]> values = new LinkedHashMap<>();
        perplexitiesByLanguage.forEach((language, sample) -> {
            if (sample.length == 0) {
                return;
            }
            double[] sorted = sample.clone();
            Arrays.sort(sorted);
            double[] column = new double[100];
            for (int p = 0; p < 100; p++) {
                double rank = p / 100.0 * (sorted.length - 1);
                int lo = (int) Math.floor(rank);
                int hi = Math.min(lo + 1, sorted.length - 1);
                column[p] = sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
            }
            values.put(language, column);
        });
        return new PerplexityCutoffs(percentiles, values);
    }

    public Set<String> languages() {
        return values.keySet();
    }

    /** The value at percentile label {@code percentile} for {@code language}; NaN for an empty cell. */
    public double value(String language, int percentile) {
        double[] column = values.get(language);
        if (column == null) {
            throw new IllegalArgumentException("no cutoffs for language " + language);
        }
        for (int i = 0; i < percentiles.length; i++) {
            if (percentiles[i] == percentile) {
                return column[i];
            }
        }
        throw new IllegalArgumentException("the cutoff table has no row for percentile " + percentile);
    }

    public boolean hasPercentile(int percentile) {
        for (int p : percentiles) {
            if (p == percentile) {
                return true;
            }
        }
        return false;
    }

    /** The table in cutoff.csv layout. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder();
        for (String language : values.keySet()) {
            sb.append(',').append(language);
        }
        sb.append('\n');
        for (int r = 0; r < percentiles.length; r++) {
            sb.append(percentiles[r]);
            for (double[] column : values.values()) {
                sb.append(',');
                if (!Double.isNaN(column[r])) {
                    sb.append(ShortestDecimal.of(column[r]));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    public void write(Path csv) {
        try {
            Files.writeString(csv, toCsv(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
