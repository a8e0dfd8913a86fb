package io.sparkzero.pruning.ssp;

import io.sparkzero.pruning.ExampleScores;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The SSP scores of a data set, on the driver. Row {@code i} of the five per-example arrays is one
 * example, ordered by id. The arrays are the caller's to read, not to change; like any record of
 * arrays, {@code equals} compares them by reference.
 *
 * @param ids example ids, ascending
 * @param labels each example's class, or {@link SspExample#UNKNOWN_LABEL}
 * @param clusters each example's cluster, {@code 0..clusterCount()-1}
 * @param scores {@code 1 − cos(embedding, its cluster's centroid)}: high = hard
 * @param secondScores {@code 1 − cos(embedding, the nearest other centroid)}, {@code >= scores[i]};
 *     NaN when there is one cluster
 * @param unitCentroids the k-means centroids as unit vectors, by cluster
 * @param clusterSizes the number of examples in each cluster
 * @param classCountsByCluster {@code [cluster][class]}: how many examples of each class a cluster
 *     holds (unlabelled examples are counted only in {@code clusterSizes})
 */
public record SspResult(long[] ids, int[] labels, int[] clusters, double[] scores,
    double[] secondScores, double[][] unitCentroids, long[] clusterSizes, long[][] classCountsByCluster) {

  /** Checks that the per-example arrays are rows of one table. */
  public SspResult {
    int n = ids.length;
    if (labels.length != n || clusters.length != n || scores.length != n || secondScores.length != n) {
      throw new IllegalArgumentException("per-example arrays differ in length: ids " + n
          + ", labels " + labels.length + ", clusters " + clusters.length
          + ", scores " + scores.length + ", second scores " + secondScores.length);
    }
    if (clusterSizes.length != unitCentroids.length
        || classCountsByCluster.length != unitCentroids.length) {
      throw new IllegalArgumentException("per-cluster arrays differ in length: centroids "
          + unitCentroids.length + ", sizes " + clusterSizes.length
          + ", class counts " + classCountsByCluster.length);
    }
  }

  /**
   * The scores as the metric {@code ssp}, ready for selection. Examples all labelled or all
   * unlabelled, as {@link ExampleScores} requires.
   */
  public ExampleScores toExampleScores() {
    boolean labelled = labels.length > 0 && labels[0] != SspExample.UNKNOWN_LABEL;
    return labelled ? ExampleScores.of("ssp", ids, labels, scores)
        : ExampleScores.unlabeled("ssp", ids, scores);
  }

  /**
   * How near each example lies to a cluster boundary: the distance to the second-nearest centroid
   * minus the distance to its own, {@code >= 0}; small = ambiguous between two prototypes. NaN for
   * every example when there is one cluster.
   */
  public double[] margins() {
    double[] margins = new double[scores.length];
    for (int i = 0; i < margins.length; i++) {
      margins[i] = secondScores[i] - scores[i];
    }
    return margins;
  }

  /**
   * The table for {@code scored}, in id order, with each cluster's size and class mix.
   *
   * @param classCount the number of classes (0 when no example has a label)
   */
  static SspResult tally(List<ScoredExample> scored, double[][] unitCentroids, int classCount) {
    ScoredExample[] rows = scored.toArray(ScoredExample[]::new);
    Arrays.sort(rows, Comparator.comparingLong(ScoredExample::id));
    int n = rows.length;
    long[] ids = new long[n];
    int[] labels = new int[n];
    int[] clusters = new int[n];
    double[] scores = new double[n];
    double[] secondScores = new double[n];
    long[] sizes = new long[unitCentroids.length];
    long[][] classCounts = new long[unitCentroids.length][classCount];
    for (int i = 0; i < n; i++) {
      ScoredExample row = rows[i];
      ids[i] = row.id();
      labels[i] = row.label();
      clusters[i] = row.cluster();
      scores[i] = row.score();
      secondScores[i] = row.secondScore();
      sizes[row.cluster()]++;
      if (row.label() != SspExample.UNKNOWN_LABEL) {
        classCounts[row.cluster()][row.label()]++;
      }
    }
    return new SspResult(ids, labels, clusters, scores, secondScores, unitCentroids, sizes,
        classCounts);
  }

  /** The number of clusters k-means produced: k, or fewer when there are fewer distinct points. */
  public int clusterCount() {
    return unitCentroids.length;
  }

  /** The number of examples scored. */
  public int size() {
    return ids.length;
  }
}
