package dev.cria.data.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the funnel beside the shards: {@code funnel.json} (the numbers) and {@code funnel.html} (one page, no
 * scripts, an inline SVG bar per step: documents left after reading and after each stage, with the drops of each
 * stage broken down by reason).
 */
public final class FunnelReport {
    public static final String JSON_FILE = "funnel.json";
    public static final String HTML_FILE = "funnel.html";

    private FunnelReport() {
    }

    public static void writeJson(Funnel funnel, Path file) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Manifest.JSON.writeValue(temp.toFile(), funnel);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static void writeHtml(Funnel funnel, Path file) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temp, html(funnel), StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private record Bar(String label, long documents, long bytes, String note) {
    }

    static String html(Funnel funnel) {
        List<Bar> bars = new ArrayList<>();
        long readDocs = 0;
        long readBytes = 0;
        long bad = 0;
        long records = 0;
        for (Funnel.SourceFunnel s : funnel.sources()) {
            readDocs += s.documents();
            readBytes += s.textBytes();
            bad += s.badTotal();
            records += s.records();
        }
        bars.add(new Bar("read", readDocs, readBytes, records + " records, " + bad + " bad"));
        for (Funnel.StageFunnel st : funnel.stages()) {
            StringBuilder note = new StringBuilder();
            for (Map.Entry<String, Funnel.Count> e : st.dropped().entrySet()) {
                if (!note.isEmpty()) {
                    note.append(", ");
                }
                note.append(e.getKey()).append(' ').append(e.getValue().documents());
            }
            bars.add(new Bar(st.name() + (st.kind().equals("global") ? " (global)" : ""), st.kept().documents(),
                    st.kept().bytes(), note.isEmpty() ? "nothing dropped" : "dropped: " + note));
        }
        long max = Math.max(1, bars.stream().mapToLong(Bar::documents).max().orElse(1));
        int rowH = 34;
        int labelW = 220;
        int barW = 520;
        int height = 20 + rowH * bars.size();
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"13\">%n",
                labelW + barW + 420, height));
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = 10 + i * rowH;
            int w = (int) Math.round((double) b.documents() / max * barW);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", labelW - 8, y + 18,
                    escape(b.label())));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"24\" fill=\"%s\"/>%n", labelW, y,
                    Math.max(w, 1), i == 0 ? "#4c78a8" : "#59a14f"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%,d docs · %s</text>%n", labelW + Math.max(w, 1) + 6,
                    y + 17, b.documents(), escape(megabytes(b.bytes()))));
        }
        svg.append("</svg>\n");
        StringBuilder table = new StringBuilder("<table>\n<tr><th>step</th><th>documents</th><th>text</th><th>notes</th></tr>\n");
        for (Bar b : bars) {
            table.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%s</td><td>%s</td></tr>%n", escape(b.label()),
                    b.documents(), escape(megabytes(b.bytes())), escape(b.note())));
        }
        table.append(String.format(Locale.ROOT, "<tr><td>written</td><td>%,d</td><td>%s</td><td></td></tr>%n</table>%n",
                funnel.output().documents(), escape(megabytes(funnel.output().bytes()))));
        StringBuilder sources = new StringBuilder();
        for (Funnel.SourceFunnel s : funnel.sources()) {
            sources.append(String.format(Locale.ROOT, "<li>%s: %,d files, %s read, %,d records, %,d documents; skipped %s; bad %s</li>%n",
                    escape(s.source()), s.files(), escape(megabytes(s.bytesRead())), s.records(), s.documents(),
                    escape(s.skipped().toString()), escape(s.badRecords().toString())));
        }
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Cria data funnel</title>\n"
                + "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
                + "padding:4px 8px;text-align:left}</style></head><body>\n<h1>Funnel</h1>\n" + svg + "<h2>Steps</h2>\n" + table
                + "<h2>Sources</h2>\n<ul>\n" + sources + "</ul>\n</body></html>\n";
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
