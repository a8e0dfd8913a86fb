package io.sparkzero.pruning.ssp;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The supervised prototypes: per class, the sum of its examples' unit embeddings, and from the
 * sums the unit centroid of each class. Built per partition with {@link #add} and combined with
 * {@link #merge} (sums commute, so the partitioning does not matter); {@link #prototypes} then
 * scores an example {@code 1 − cos(e, centroid of its own class)}.
 */
final class ClassCentroids implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TreeMap<Integer, double[]> sums = new TreeMap<>();

  /** Adds one labelled example's embedding, normalised to unit length first. */
  ClassCentroids add(SspExample example) {
    if (!example.hasLabel()) {
      throw new IllegalArgumentException("example id " + example.id() + " has no label;"
          + " supervised prototypes need every example's class");
    }
    double[] unit = unit(example);
    double[] sum = sums.computeIfAbsent(example.label(), label -> new double[unit.length]);
    if (sum.length != unit.length) {
      throw new IllegalArgumentException("example id " + example.id() + " has an embedding of "
          + unit.length + " dimensions, unlike the " + sum.length + " of the other examples of class "
          + example.label() + "; all embeddings must have the same dimension");
    }
    for (int i = 0; i < unit.length; i++) {
      sum[i] += unit[i];
    }
    return this;
  }

  ClassCentroids merge(ClassCentroids other) {
    for (Map.Entry<Integer, double[]> e : other.sums.entrySet()) {
      double[] sum = sums.get(e.getKey());
      if (sum == null) {
        sums.put(e.getKey(), e.getValue().clone());
      } else {
        for (int i = 0; i < sum.length; i++) {
          sum[i] += e.getValue()[i];
        }
      }
    }
    return this;
  }

  /** The classes' unit centroids, to score with; fails when no example was added. */
  Scoring prototypes() {
    if (sums.isEmpty()) {
      throw new IllegalArgumentException("no examples to score: the embeddings are empty");
    }
    int[] labels = sums.keySet().stream().mapToInt(Integer::intValue).toArray();
    double[][] centroids = sums.values().toArray(double[][]::new);
    return new Scoring(labels, new Prototypes(centroids));
  }

  static double[] unit(SspExample example) {
    float[] embedding = example.embedding();
    double[] values = new double[embedding.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = embedding[i];
    }
    return Prototypes.unit(values, "embedding of example id " + example.id());
  }

  /**
   * The unit centroid of each class present, by ascending label. A class, not a record: it is
   * broadcast, and Spark's Kryo cannot set a record's final fields.
   */
  static final class Scoring implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] labels;
    private final Prototypes prototypes;

    Scoring(int[] labels, Prototypes prototypes) {
      this.labels = labels;
      this.prototypes = prototypes;
    }

    /** The classes, ascending. */
    int[] labels() {
      return labels.clone();
    }

    /** {@code 1 − cos(e, its class's centroid)}: 0 on the centroid, 2 opposite it. */
    double score(SspExample example) {
      return prototypes.score(unit(example), Arrays.binarySearch(labels, example.label()));
    }
  }
}
