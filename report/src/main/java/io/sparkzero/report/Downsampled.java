package io.sparkzero.report;

/**
 * A long series cut to at most a given number of points, so that a page stays small and a
 * browser stays quick with a run of any length: consecutive points are grouped into buckets of
 * {@code bucketSize}, and each bucket is drawn at its last x with the mean, the minimum and the
 * maximum of its finite values. A bucket with no finite value is a gap (NaN).
 *
 * <p>Mean buckets rather than every k-th point: a sampled point can land on an outlier and hide
 * the trend, while a mean keeps it, and the min and max keep the spikes that a mean smooths away.
 *
 * @param x each bucket's last x
 * @param mean each bucket's mean, NaN when it has no finite value
 * @param min each bucket's minimum, NaN likewise
 * @param max each bucket's maximum, NaN likewise
 * @param bucketSize points per bucket (the last may hold fewer); 1 when nothing was merged
 */
public record Downsampled(double[] x, double[] mean, double[] min, double[] max, int bucketSize) {

  /**
   * Buckets {@code values} (one per {@code x}) to at most {@code maxPoints} points.
   *
   * @param maxPoints at least 1
   */
  public static Downsampled of(double[] x, double[] values, int maxPoints) {
    if (x.length != values.length || maxPoints < 1) {
      throw new IllegalArgumentException(x.length + " x values for " + values.length
          + " values, at most " + maxPoints + " points");
    }
    int size = Math.max(1, (x.length + maxPoints - 1) / maxPoints);
    int buckets = (x.length + size - 1) / size;
    double[] bx = new double[buckets];
    double[] mean = new double[buckets];
    double[] min = new double[buckets];
    double[] max = new double[buckets];
    for (int b = 0; b < buckets; b++) {
      int from = b * size;
      int to = Math.min(x.length, from + size);
      double sum = 0;
      int n = 0;
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = from; i < to; i++) {
        if (Double.isFinite(values[i])) {
          sum += values[i];
          n++;
          lo = Math.min(lo, values[i]);
          hi = Math.max(hi, values[i]);
        }
      }
      bx[b] = x[to - 1];
      mean[b] = n == 0 ? Double.NaN : sum / n;
      min[b] = n == 0 ? Double.NaN : lo;
      max[b] = n == 0 ? Double.NaN : hi;
    }
    return new Downsampled(bx, mean, min, max, size);
  }

  /** True when buckets hold more than one point each. */
  public boolean merged() {
    return bucketSize > 1;
  }
}
