package io.sparkzero.worker.train;

import io.sparkzero.worker.data.BatchMaker;
import io.sparkzero.worker.data.EpochExamples;
import io.sparkzero.worker.data.LocalDataset;
import java.util.Arrays;
import io.sparkzero.worker.data.Seeds;

/**
 * Which local examples a rank uses at each step of an epoch. Every rank runs the same number of
 * steps (the lock-step rule): a rank whose partition is smaller than {@code steps * batchSize}
 * wraps around its own shuffled order, one that is larger leaves the tail of this epoch's order
 * unused (a new order is drawn every epoch, so no example is left out for good).
 */
public final class EpochSchedule {
  private final int[] order;
  private final int batchSize;
  private final int steps;

  private EpochSchedule(int[] order, int batchSize, int steps) {
    this.order = order;
    this.batchSize = batchSize;
    this.steps = steps;
  }

  /**
   * The schedule of one rank for one epoch.
   *
   * @param localSize examples in this rank's partition (at least 1)
   * @param seed job seed; the order depends on (seed, epoch, rank) only
   */
  public static EpochSchedule shuffled(int localSize, int batchSize, int steps, long seed, int epoch, int rank) {
    if (localSize <= 0) {
      throw new IllegalArgumentException("rank " + rank + " has no training examples; "
          + "use fewer ranks (train.world-size) or more data");
    }
    int[] order = Seeds.permutation(localSize, seed * 1_000_003L + epoch * 7919L + rank);
    return new EpochSchedule(order, batchSize, steps);
  }

  /** A schedule over a given order (tests feeding an exact global data order). */
  public static EpochSchedule fixed(int[] order, int batchSize, int steps) {
    return new EpochSchedule(order.clone(), batchSize, steps);
  }

  /**
   * Steps per epoch for the whole job: the global example count divided by the global batch,
   * at least one, so an epoch is about one pass over the data whatever the partition sizes.
   */
  public static int stepsPerEpoch(long totalExamples, int worldSize, int batchSize) {
    return (int) Math.max(1, totalExamples / ((long) worldSize * batchSize));
  }

  public int steps() {
    return steps;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Local indices of the examples of {@code step}. */
  public int[] indices(int step) {
    int[] idx = new int[batchSize];
    long start = (long) step * batchSize;
    for (int i = 0; i < batchSize; i++) {
      idx[i] = order[(int) ((start + i) % order.length)];
    }
    return idx;
  }

  /** This schedule's steps over {@code data}, held in memory. */
  public EpochExamples over(LocalDataset data) {
    return new EpochExamples() {
      @Override
      public LocalDataset.Batch batch(BatchMaker maker, int step, int from, int to) {
        return maker.batch(data, Arrays.copyOfRange(indices(step), from, to));
      }
    };
  }
}
