package io.sparkzero.pruning;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Spearman's rank correlation between two metrics' scores of the same examples: do they call the
 * same examples hard? Ranks, not values, because metrics live on unrelated scales (a cosine
 * distance, an error norm, a count of forgetting events) and only their order decides what is
 * kept.
 *
 * <p>Ties share the average of the ranks they span, and the correlation is Pearson's over those
 * ranks: the textbook {@code 1 − 6 Σd² / (n(n² − 1))} is exact only without ties, and a count
 * metric (forgetting) is mostly ties. The rule for the undefined case: when either input is
 * constant (all values tied, which includes fewer than two examples) its ranks have no variance
 * and the correlation is NaN, never a made-up 0.
 */
public final class RankCorrelation {
  private RankCorrelation() {}

  /**
   * Spearman's rho of {@code a} and {@code b}, in [-1, 1]; NaN when either is constant.
   *
   * @param a one score per example
   * @param b the same examples' scores from another metric, in the same order
   */
  public static double spearman(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("rank correlation needs the same examples on both sides: "
          + a.length + " scores against " + b.length);
    }
    return pearson(ranks(a), ranks(b));
  }

  /**
   * The rank of each value, 1 for the smallest; tied values get the mean of the ranks they span
   * ({@code [10, 20, 20, 30]} ranks as {@code [1, 2.5, 2.5, 4]}).
   *
   * @throws IllegalArgumentException for a NaN, which has no place in an order
   */
  public static double[] ranks(double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        throw new IllegalArgumentException("score " + i + " is NaN; ranks need a number for every example");
      }
    }
    Integer[] order = IntStream.range(0, values.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
    double[] ranks = new double[values.length];
    int start = 0;
    while (start < order.length) {
      int end = start + 1;
      while (end < order.length && values[order[end]] == values[order[start]]) {
        end++;
      }
      double shared = (start + 1 + end) / 2.0; // the mean of ranks start + 1 .. end
      for (int j = start; j < end; j++) {
        ranks[order[j]] = shared;
      }
      start = end;
    }
    return ranks;
  }

  private static double pearson(double[] x, double[] y) {
    double meanX = Arrays.stream(x).average().orElse(0);
    double meanY = Arrays.stream(y).average().orElse(0);
    double covariance = 0;
    double varianceX = 0;
    double varianceY = 0;
    for (int i = 0; i < x.length; i++) {
      covariance += (x[i] - meanX) * (y[i] - meanY);
      varianceX += (x[i] - meanX) * (x[i] - meanX);
      varianceY += (y[i] - meanY) * (y[i] - meanY);
    }
    if (varianceX == 0 || varianceY == 0) {
      return Double.NaN;
    }
    // Rounding can carry a perfect correlation a hair past ±1.
    return Math.max(-1, Math.min(1, covariance / Math.sqrt(varianceX * varianceY)));
  }
}
