package io.sparkzero.driver.prune;

import io.sparkzero.report.HtmlReport;
import io.sparkzero.report.LineChart;
import io.sparkzero.report.Section;
import io.sparkzero.report.Table;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's experiment: test accuracy against the kept fraction, one line per (metric, keep),
 * the mean over seeds at each fraction, with the full data's mean as the reference every pruned
 * run is read against; and the same numbers in a table with their spread.
 */
final class AccuracySection {
  private AccuracySection() {}

  /** Adds the section to {@code page}; {@code experiment} null says that none has run. */
  static void add(HtmlReport page, ExperimentResults experiment) {
    Section section = page.section("Test accuracy against kept fraction");
    if (experiment == null) {
      section.note("No experiment has run: set pruning.experiment to a results file of the comparison command"
          + " to draw test accuracy against the kept fraction.");
      return;
    }
    List<AccuracyPoints.Point> points = AccuracyPoints.of(experiment.runs());
    section.text(experiment.model() + ", " + experiment.epochs() + " epochs, on " + experiment.data() + ": "
        + experiment.runs().size() + " runs.");
    if (points.isEmpty()) {
      section.note("The results file holds no runs.");
      return;
    }
    section.add(chart(points)).add(table(points))
        .note("Each point is the mean over its seeds; ± is the sample standard deviation (none with one seed).");
  }

  /** x = kept fraction, y = mean test accuracy; a pruned series has a value only at its own fractions. */
  static LineChart chart(List<AccuracyPoints.Point> points) {
    double[] x = points.stream().mapToDouble(AccuracyPoints.Point::fraction).distinct().sorted().toArray();
    LineChart chart = new LineChart("accuracy-vs-fraction", "Test accuracy against kept fraction",
        "fraction kept", x).leftAxis("test accuracy", false);
    Map<String, double[]> series = new LinkedHashMap<>();
    for (AccuracyPoints.Point p : points) {
      if (!p.metric().equals(ExperimentResults.FULL_DATA)) {
        double[] values = series.computeIfAbsent(p.series(), k -> nanArray(x.length));
        values[Arrays.binarySearch(x, p.fraction())] = p.meanAccuracy();
      }
    }
    series.forEach(chart::left);
    List<AccuracyPoints.Point> full = points.stream()
        .filter(p -> p.metric().equals(ExperimentResults.FULL_DATA)).toList();
    if (!full.isEmpty()) { // the mean over every full-data run, whatever fraction it states
      double runs = full.stream().mapToDouble(AccuracyPoints.Point::seeds).sum();
      double[] flat = new double[x.length];
      Arrays.fill(flat, full.stream().mapToDouble(p -> p.meanAccuracy() * p.seeds()).sum() / runs);
      chart.left("full data (reference)", flat);
    }
    return chart;
  }

  static Table table(List<AccuracyPoints.Point> points) {
    Table table = new Table("Runs by metric, keep and fraction", "metric", "keep", "fraction kept",
        "test accuracy (mean ± sd)", "seeds", "kept examples (mean)", "train seconds (mean)");
    for (AccuracyPoints.Point p : points) {
      table.row(p.metric(), p.keep(), format("%.3f", p.fraction()),
          format("%.4f", p.meanAccuracy()) + (Double.isNaN(p.sdAccuracy()) ? "" : format(" ± %.4f", p.sdAccuracy())),
          Integer.toString(p.seeds()), format("%.0f", p.meanKeptExamples()), format("%.1f", p.meanTrainSeconds()));
    }
    return table;
  }

  private static double[] nanArray(int length) {
    double[] values = new double[length];
    Arrays.fill(values, Double.NaN);
    return values;
  }

  private static String format(String pattern, double value) {
    return String.format(Locale.ROOT, pattern, value);
  }
}
