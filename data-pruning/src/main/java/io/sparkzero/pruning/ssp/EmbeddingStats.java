package io.sparkzero.pruning.ssp;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one pass over the examples learns before k-means starts: how many there are, the number of
 * classes, and the first (smallest-id) example that breaks a rule. Built per partition with {@link
 * #add} and combined with {@link #merge}; both keep only minima, so the result does not depend on
 * the partitioning.
 */
final class EmbeddingStats implements Serializable {
  private static final long serialVersionUID = 1L;

  private long count;
  private int maxLabel = SspExample.UNKNOWN_LABEL;
  /** Per embedding length, its smallest id; trimmed to the two smallest ids, all an error needs. */
  private final TreeMap<Integer, Long> minIdByDimension = new TreeMap<>();
  private long minZeroId = Long.MAX_VALUE;
  private long minNonFiniteId = Long.MAX_VALUE;
  private long minBadLabelId = Long.MAX_VALUE;

  EmbeddingStats add(SspExample example) {
    count++;
    long id = example.id();
    if (example.label() < SspExample.UNKNOWN_LABEL) {
      minBadLabelId = Math.min(minBadLabelId, id);
    }
    maxLabel = Math.max(maxLabel, example.label());
    minIdByDimension.merge(example.embedding().length, id, Math::min);
    trimDimensions();
    double squares = 0;
    for (float value : example.embedding()) {
      squares += (double) value * value;
    }
    if (!Double.isFinite(squares)) {
      minNonFiniteId = Math.min(minNonFiniteId, id);
    } else if (squares == 0) {
      minZeroId = Math.min(minZeroId, id);
    }
    return this;
  }

  EmbeddingStats merge(EmbeddingStats other) {
    count += other.count;
    maxLabel = Math.max(maxLabel, other.maxLabel);
    other.minIdByDimension.forEach((dim, id) -> minIdByDimension.merge(dim, id, Math::min));
    trimDimensions();
    minZeroId = Math.min(minZeroId, other.minZeroId);
    minNonFiniteId = Math.min(minNonFiniteId, other.minNonFiniteId);
    minBadLabelId = Math.min(minBadLabelId, other.minBadLabelId);
    return this;
  }

  private void trimDimensions() {
    while (minIdByDimension.size() > 2) {
      Map.Entry<Integer, Long> largest = null;
      for (Map.Entry<Integer, Long> entry : minIdByDimension.entrySet()) {
        if (largest == null || entry.getValue() > largest.getValue()) {
          largest = entry;
        }
      }
      minIdByDimension.remove(largest.getKey());
    }
  }

  long count() {
    return count;
  }

  /** The largest label + 1; 0 when no example has a label. */
  int classCount() {
    return maxLabel + 1;
  }

  /** The embedding length of the smallest id; 0 when there are no examples. */
  int dimension() {
    return minIdByDimension.entrySet().stream()
        .min(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0);
  }

  /** Throws the first rule the examples break, naming the example's id. */
  void check() {
    if (count == 0) {
      throw new IllegalArgumentException("no examples to score: the embeddings are empty");
    }
    if (minBadLabelId != Long.MAX_VALUE) {
      throw new IllegalArgumentException("example id " + minBadLabelId
          + " has a label below -1; allowed: -1 (unknown) or a class >= 0");
    }
    if (minIdByDimension.size() > 1) {
      int expected = dimension();
      minIdByDimension.forEach((dim, id) -> {
        if (dim != expected) {
          throw new IllegalArgumentException("example id " + id + " has an embedding of " + dim
              + " dimensions, unlike the " + expected + " of example id "
              + minIdByDimension.get(expected) + "; all embeddings must have the same dimension");
        }
      });
    }
    if (minNonFiniteId != Long.MAX_VALUE) {
      throw new IllegalArgumentException("example id " + minNonFiniteId
          + " has a NaN or infinite embedding value; its length cannot be normalised");
    }
    if (minZeroId != Long.MAX_VALUE) {
      throw new IllegalArgumentException("example id " + minZeroId
          + " has an all-zero embedding, which has no direction to normalise; "
          + "check the encoder's output for this example or drop it");
    }
  }
}
