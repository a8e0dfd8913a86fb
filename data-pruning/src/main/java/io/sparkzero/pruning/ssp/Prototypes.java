package io.sparkzero.pruning.ssp;

import java.io.Serializable;

/**
 * The k-means centroids as unit vectors, and the one rule that assigns and scores an example:
 * its cluster is the centroid with the largest cosine (the lowest index on a tie), its score
 * {@code 1 − cos}, and the same distance to the runner-up centroid. Pure and serializable: the scorer broadcasts it to the executors.
 */
final class Prototypes implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[][] unitCentroids;

  /** Normalises copies of {@code centroids}; each must be non-zero and of one length. */
  Prototypes(double[][] centroids) {
    unitCentroids = new double[centroids.length][];
    for (int c = 0; c < centroids.length; c++) {
      if (centroids[c].length != centroids[0].length) {
        throw new IllegalArgumentException("centroid " + c + " has " + centroids[c].length
            + " dimensions, centroid 0 has " + centroids[0].length);
      }
      // k-means never yields a zero centroid from unit vectors unless members cancel exactly;
      // the check keeps a NaN score from hiding it.
      unitCentroids[c] = unit(centroids[c], "centroid " + c);
    }
  }

  /** A unit-length copy of {@code vector}; {@code what} names it in the error when it is zero. */
  static double[] unit(double[] vector, String what) {
    double squares = 0;
    for (double value : vector) {
      squares += value * value;
    }
    if (!(squares > 0) || Double.isInfinite(squares)) {
      throw new IllegalArgumentException(
          what + " has length " + Math.sqrt(squares) + " and cannot be normalised");
    }
    double inverseNorm = 1 / Math.sqrt(squares);
    double[] unit = new double[vector.length];
    for (int i = 0; i < vector.length; i++) {
      unit[i] = vector[i] * inverseNorm;
    }
    return unit;
  }

  int count() {
    return unitCentroids.length;
  }

  /** Copies of the unit centroids, indexed by cluster. */
  double[][] unitCentroids() {
    double[][] copy = new double[unitCentroids.length][];
    for (int c = 0; c < copy.length; c++) {
      copy[c] = unitCentroids[c].clone();
    }
    return copy;
  }

  /** The cluster of a unit embedding: the index of the centroid with the largest cosine. */
  int nearest(double[] unitEmbedding) {
    int best = 0;
    double bestCosine = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < unitCentroids.length; c++) {
      double cosine = dot(unitEmbedding, unitCentroids[c]);
      if (cosine > bestCosine) {
        best = c;
        bestCosine = cosine;
      }
    }
    return best;
  }

  /** {@code 1 − cos(e, centroid)} for a unit embedding: 0 on the prototype, 2 opposite it. */
  double score(double[] unitEmbedding, int cluster) {
    return 1 - dot(unitEmbedding, unitCentroids[cluster]);
  }

  /**
   * {@code 1 − cos} to the nearest centroid other than {@code cluster}: how far the example is from
   * switching clusters. NaN with a single centroid, where there is no other.
   */
  double secondScore(double[] unitEmbedding, int cluster) {
    double bestCosine = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < unitCentroids.length; c++) {
      if (c != cluster) {
        bestCosine = Math.max(bestCosine, dot(unitEmbedding, unitCentroids[c]));
      }
    }
    return unitCentroids.length < 2 ? Double.NaN : 1 - bestCosine;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
