package io.sparkzero.worker.train;

import io.sparkzero.worker.data.LocalDataset;

/**
 * One rank's share of one global step: {@link #count()} micro-batches whose gradients are summed
 * before the step (gradient accumulation), built one at a time so only one is in memory.
 */
public interface MicroBatches {
  int count();

  /** Micro-batch {@code i}, {@code 0 <= i < count()}. */
  LocalDataset.Batch get(int i);

  /**
   * The factor on micro-batch {@code i}'s update of the running statistics (batch-norm mean and
   * variance), which the step applies to their gradient slots: 1 unless a {@link StepAugmenter}
   * splits micro-batches into parts.
   */
  default float runningStatsWeight(int i) {
    return 1f;
  }

  /** {@code count} micro-batches, micro-batch {@code i} made by {@code make.apply(i)} when asked. */
  static MicroBatches of(int count, java.util.function.IntFunction<LocalDataset.Batch> make) {
    return of(count, make, i -> 1.0);
  }

  /** {@code count} micro-batches as above, micro-batch {@code i}'s running statistics weighed by {@code weight}. */
  static MicroBatches of(int count, java.util.function.IntFunction<LocalDataset.Batch> make,
      java.util.function.IntToDoubleFunction weight) {
    return new MicroBatches() {
      @Override
      public int count() {
        return count;
      }

      @Override
      public LocalDataset.Batch get(int i) {
        return make.apply(i);
      }

      @Override
      public float runningStatsWeight(int i) {
        return (float) weight.applyAsDouble(i);
      }
    };
  }

  /** A step of one micro-batch. */
  static MicroBatches of(LocalDataset.Batch batch) {
    return new MicroBatches() {
      @Override
      public int count() {
        return 1;
      }

      @Override
      public LocalDataset.Batch get(int i) {
        return batch;
      }
    };
  }
}
