package dev.cria.cli.quickstart;

import java.util.List;
import java.util.Locale;

/** Small inline SVG charts for the report: lines over a shared x axis, and horizontal bars. No scripts, no fonts to load. */
final class SvgChart {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 300;
    private static final int LEFT = 60;
    private static final int RIGHT = 130;
    private static final int TOP = 20;
    private static final int BOTTOM = 40;

    /** One line: its points (x, y), its colour and name; {@code dots} draws markers (sparse series such as validations). */
    record Series(String name, String colour, double[] x, double[] y, boolean dots) {
    }

    private SvgChart() {
    }

    static String lines(String title, String xLabel, String yLabel, List<Series> series) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                minX = Math.min(minX, s.x()[i]);
                maxX = Math.max(maxX, s.x()[i]);
                minY = Math.min(minY, s.y()[i]);
                maxY = Math.max(maxY, s.y()[i]);
            }
        }
        if (!(maxX > minX)) {
            maxX = minX + 1;
        }
        if (!(maxY > minY)) {
            maxY = minY + 1;
        }
        double padY = (maxY - minY) * 0.05;
        // Positive quantities (loss, learning rate, throughput) keep a non-negative axis.
        minY = minY >= 0 ? Math.max(0, minY - padY) : minY - padY;
        maxY += padY;
        int w = WIDTH - LEFT - RIGHT;
        int h = HEIGHT - TOP - BOTTOM;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" "
                + "aria-label=\"%s\" font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, HEIGHT, Html.escape(title)));
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" stroke=\"#999\"/>%n",
                LEFT, TOP, w, h));
        for (int t = 0; t <= 4; t++) {
            double vy = minY + (maxY - minY) * t / 4;
            double py = TOP + h - h * t / 4.0;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, LEFT + w, py, py, LEFT - 4, py + 4, tick(vy)));
            double vx = minX + (maxX - minX) * t / 4;
            double px = LEFT + w * t / 4.0;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, TOP + h + 14, tick(vx)));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", LEFT + w / 2, HEIGHT - 6,
                Html.escape(xLabel)));
        b.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 12 %d)\">%s</text>%n",
                TOP + h / 2, TOP + h / 2, Html.escape(yLabel)));
        int legendY = TOP + 10;
        for (Series s : series) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                double px = LEFT + (s.x()[i] - minX) / (maxX - minX) * w;
                double py = TOP + h - (s.y()[i] - minY) / (maxY - minY) * h;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                if (s.dots()) {
                    b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", px, py, s.colour()));
                }
            }
            b.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n", s.colour(),
                    pts.toString().strip()));
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + w + 10, legendY - 3, s.colour(), LEFT + w + 26, legendY,
                    Html.escape(s.name())));
            legendY += 16;
        }
        b.append("</svg>\n");
        return b.toString();
    }

    /** Horizontal bars, one per label, scaled to the largest value. */
    static String bars(String title, List<String> labels, double[] values, String unit) {
        int rowHeight = 22;
        int labelWidth = 260;
        int barWidth = 360;
        int height = labels.size() * rowHeight + 10;
        double max = 0;
        for (double v : values) {
            max = Math.max(max, v);
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" "
                + "aria-label=\"%s\" font-family=\"sans-serif\" font-size=\"11\">%n", labelWidth + barWidth + 120, height, Html.escape(title)));
        for (int i = 0; i < labels.size(); i++) {
            int y = 5 + i * rowHeight;
            double len = max > 0 ? values[i] / max * barWidth : 0;
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                            + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"#4e79a7\"/>"
                            + "<text x=\"%.1f\" y=\"%d\">%s %s</text>%n", labelWidth - 6, y + 11, Html.escape(labels.get(i)), labelWidth, y,
                    len, labelWidth + len + 4, y + 11, values[i] == Math.rint(values[i]) ? String.format(Locale.ROOT, "%.0f", values[i]) : tick(values[i]),
                    Html.escape(unit)));
        }
        b.append("</svg>\n");
        return b.toString();
    }

    private static String tick(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (a >= 1e4) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a > 0 && a < 0.01) {
            return String.format(Locale.ROOT, "%.1e", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
