package io.sparkzero.bench;

import java.util.Arrays;
import java.util.Locale;

/** The small pieces the benchmarks' one-line JSON results are made of. */
public final class BenchJson {
  private BenchJson() {}

  /** The median; the mean of the middle two for an even count, as Python's statistics.median. */
  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** {@code value} with three decimals (rates in GB/s, times in s). */
  public static String format(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  /** {@code text} as a JSON string. */
  public static String quote(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
