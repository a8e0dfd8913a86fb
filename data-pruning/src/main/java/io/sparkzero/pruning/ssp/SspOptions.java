package io.sparkzero.pruning.ssp;

import java.util.OptionalInt;

/**
 * How {@link PrototypeScorer} clusters the embeddings. The ranges that need the data (k against
 * the number of examples) are checked by the scorer before k-means starts.
 *
 * @param k {@code pruning.k}: the number of clusters; empty means 10 × the number of classes
 *     (the labels' largest value + 1), which needs at least one labelled example
 * @param seed {@code pruning.seed}: the k-means initialisation seed; one seed, one result
 * @param maxIterations {@code pruning.maxIterations}: the most k-means iterations, {@code >= 1}
 * @param tolerance {@code pruning.tolerance}: k-means stops when no centroid moves further
 *     than this (MLlib's convergence tolerance), {@code >= 0}
 */
public record SspOptions(OptionalInt k, long seed, int maxIterations, double tolerance) {

  /** Clusters per class when k is not given: the paper's k is within an order of magnitude. */
  public static final int CLUSTERS_PER_CLASS = 10;
  /** MLlib's default. */
  public static final int DEFAULT_MAX_ITERATIONS = 20;
  /** MLlib's default. */
  public static final double DEFAULT_TOLERANCE = 1e-4;

  /** Checks the ranges that do not depend on the data. */
  public SspOptions {
    if (k.isPresent() && k.getAsInt() < 1) {
      throw new IllegalArgumentException(
          "pruning.k = " + k.getAsInt() + " is below 1; allowed: 1..number of examples");
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException(
          "pruning.maxIterations = " + maxIterations + " is below 1; allowed: 1 or more");
    }
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException(
          "pruning.tolerance = " + tolerance + " is not allowed; allowed: a finite value >= 0");
    }
  }

  /** k from the number of classes, MLlib's iteration limit and tolerance. */
  public static SspOptions defaults(long seed) {
    return new SspOptions(OptionalInt.empty(), seed, DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE);
  }

  /** These options with k clusters. */
  public SspOptions withK(int clusters) {
    return new SspOptions(OptionalInt.of(clusters), seed, maxIterations, tolerance);
  }

  /**
   * The number of clusters for data with {@code classCount} classes (0 when no label is known).
   *
   * @throws IllegalArgumentException when k is not given and no example has a label
   */
  public int resolveK(int classCount) {
    if (k.isPresent()) {
      return k.getAsInt();
    }
    if (classCount == 0) {
      throw new IllegalArgumentException(
          "pruning.k is required when no example has a label (all labels are -1); "
              + "allowed: 1..number of examples");
    }
    return Math.multiplyExact(CLUSTERS_PER_CLASS, classCount);
  }
}
