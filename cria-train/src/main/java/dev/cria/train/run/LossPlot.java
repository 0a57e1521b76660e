package dev.cria.train.run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** {@code loss.png}: training and validation loss against the step, drawn with XChart, written atomically. */
public final class LossPlot {

    private LossPlot() {
    }

    public static void write(Path png, String title, List<MetricsLog.Point> training, List<MetricsLog.Point> validation) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            // Drawing needs no display; without this AWT may look for one.
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle("step").yAxisTitle("loss (nats/token)").build();
        chart.getStyler().setMarkerSize(5);
        if (!training.isEmpty()) {
            XYSeries s = chart.addSeries("train", x(training), y(training));
            s.setMarker(SeriesMarkers.NONE);
        }
        if (!validation.isEmpty()) {
            XYSeries s = chart.addSeries("validation", x(validation), y(validation));
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        if (training.isEmpty() && validation.isEmpty()) {
            return;
        }
        Path temp = png.resolveSibling("." + png.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        Files.move(temp, png, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static double[] x(List<MetricsLog.Point> points) {
        return points.stream().mapToDouble(MetricsLog.Point::step).toArray();
    }

    private static double[] y(List<MetricsLog.Point> points) {
        return points.stream().mapToDouble(MetricsLog.Point::value).toArray();
    }
}
