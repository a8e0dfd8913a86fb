package io.sparkzero.worker.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The ids of the examples an epoch trains on, when data pruning keeps only part of the training
 * set: ascending and without repeats, so membership is a binary search and two sets compare by
 * their arrays. The driver chooses them; every rank applies them to its own partition.
 */
public final class KeptIds implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] ids;

  private KeptIds(long[] ascendingUnique) {
    this.ids = ascendingUnique;
  }

  /** The set of {@code ids}, in any order; repeats count once. */
  public static KeptIds of(long[] ids) {
    long[] sorted = ids.clone();
    Arrays.sort(sorted);
    int unique = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[unique++] = sorted[i];
      }
    }
    return new KeptIds(Arrays.copyOf(sorted, unique));
  }

  public boolean contains(long id) {
    return Arrays.binarySearch(ids, id) >= 0;
  }

  public int size() {
    return ids.length;
  }

  /** The ids, ascending (a copy). */
  public long[] ids() {
    return ids.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeptIds k && Arrays.equals(ids, k.ids);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ids);
  }

  @Override
  public String toString() {
    return ids.length + " kept ids";
  }
}
