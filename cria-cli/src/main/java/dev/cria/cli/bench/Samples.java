package dev.cria.cli.bench;

import java.util.Arrays;
import java.util.Locale;

/** Repeated measurements of one quantity, summarized as median and spread (half the min-max range). */
public final class Samples {
    private final double[] values;

    public Samples(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        this.values = values.clone();
        Arrays.sort(this.values);
    }

    public double median() {
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    public double spread() {
        return (values[values.length - 1] - values[0]) / 2;
    }

    /** {@code "12.34 ± 0.56"} */
    public String format(int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f ± %." + decimals + "f", median(), spread());
    }

    /** {@code "12.34 tok/s ± 0.56"}: the unit after the median, as llama-bench prints it. */
    public String format(int decimals, String unit) {
        return String.format(Locale.ROOT, "%." + decimals + "f %s ± %." + decimals + "f", median(), unit, spread());
    }
}
