package io.sparkzero.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Counts of values in equal-width bins, drawn as a {@link BarChart}. */
public final class Histogram {

  private Histogram() {}

  /**
   * A bar per bin between the smallest and largest finite value; NaN and infinite values are not
   * counted (the caller says how many there were, if it matters).
   *
   * @param bins at least 1
   */
  public static BarChart of(String kind, String title, String valueName, double[] values,
      int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("histogram '" + kind + "': bins " + bins + " < 1");
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (Double.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    double[] counts = new double[bins];
    List<String> labels = new ArrayList<>(bins);
    if (min <= max) {
      double width = (max - min) / bins;
      for (double v : values) {
        if (Double.isFinite(v)) {
          // The largest value belongs to the last bin, not one past it.
          int bin = width == 0 ? 0 : Math.min(bins - 1, (int) ((v - min) / width));
          counts[bin]++;
        }
      }
      for (int b = 0; b < bins; b++) {
        labels.add(String.format(Locale.ROOT, "%.4g", min + (b + 0.5) * width));
      }
    } else {
      for (int b = 0; b < bins; b++) {
        labels.add("");
        counts[b] = Double.NaN;
      }
    }
    return new BarChart(kind, title, labels, false).axes(valueName, "count")
        .series("count", counts);
  }
}
