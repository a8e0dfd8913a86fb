package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.worker.data.LocalDataset;

/**
 * Adds examples to each step's micro-batches, on the training thread: the adversarial examples of
 * ConAdv and DisAdv ({@code io.sparkzero.worker.adv}). {@link #NONE} adds none.
 *
 * <p>{@link EpochRunner} calls {@link #beforeStep} before each step trains (the trainer then holds
 * the parameters the step starts from), {@link #augment} for each of the step's micro-batches,
 * and {@link #endEpoch} when the epoch ends or fails.
 */
public interface StepAugmenter {
  StepAugmenter NONE = new StepAugmenter() {
    @Override
    public void beforeStep(ZeroTrainer trainer, Collectives collectives, int epoch, int step,
        CleanBatches clean) {}

    @Override
    public LocalDataset.Batch augment(int step, int micro, LocalDataset.Batch clean) {
      return clean;
    }

    @Override
    public void endEpoch() {}
  };

  /** Any step's clean micro-batches in this epoch, as the epoch trains them. */
  interface CleanBatches {
    /** The epoch's steps. */
    int steps();

    /** The first step this run of the epoch trains (past 0 when a resumed epoch starts mid-way). */
    int firstStep();

    /** Micro-batches per step. */
    int microBatches();

    /** Step {@code step}'s micro-batch {@code micro}, without anything added. */
    LocalDataset.Batch batch(int step, int micro);

    /** The batches {@code source} builds, for an epoch of these shapes. */
    static CleanBatches of(int steps, int firstStep, int microBatches, Source source) {
      return new CleanBatches() {
        @Override
        public int steps() {
          return steps;
        }

        @Override
        public int firstStep() {
          return firstStep;
        }

        @Override
        public int microBatches() {
          return microBatches;
        }

        @Override
        public LocalDataset.Batch batch(int step, int micro) {
          return source.batch(step, micro);
        }
      };
    }

    /** Builds step {@code step}'s micro-batch {@code micro}. */
    @FunctionalInterface
    interface Source {
      LocalDataset.Batch batch(int step, int micro);
    }
  }

  /**
   * Step {@code step} of epoch {@code epoch} is about to train from {@code trainer}'s parameters;
   * every rank calls it at the same point, so it may use {@code collectives} (stage 3 gathers the
   * parameters with them).
   */
  void beforeStep(ZeroTrainer trainer, Collectives collectives, int epoch, int step, CleanBatches clean);

  /** What micro-batch {@code micro} of step {@code step} trains on, given its clean examples. */
  LocalDataset.Batch augment(int step, int micro, LocalDataset.Batch clean);

  /** The epoch ended or failed: work for its steps is dropped. */
  void endEpoch();
}
