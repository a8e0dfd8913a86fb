package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.worker.data.LocalDataset;

/**
 * Adds examples to each step's micro-batches, on the training thread: the adversarial examples of
 * ConAdv and DisAdv ({@code io.sparkzero.worker.adv}). {@link #NONE} adds none.
 *
 * <p>{@link EpochRunner} calls {@link #beforeStep} before each step trains (the trainer then holds
 * the parameters the step starts from), {@link #augment} for each part of each of the step's
 * micro-batches ({@link #microBatches}), and {@link #endEpoch} when the epoch ends or fails.
 *
 * <p>An augmenter may split each micro-batch into {@link #parts()} micro-batches of the step, which
 * DL4J then runs apart: each is normalised by its own batch statistics. A part also weighs its
 * contribution to the running statistics ({@link #runningStatsWeight}); the weights of a
 * micro-batch's parts add up to their number, so the running statistics move by as much as in a
 * step without parts.
 */
public interface StepAugmenter {
  StepAugmenter NONE = new StepAugmenter() {
    @Override
    public void beforeStep(ZeroTrainer trainer, Collectives collectives, int epoch, int step,
        CleanBatches clean) {}

    @Override
    public LocalDataset.Batch augment(int step, int micro, int part, LocalDataset.Batch clean) {
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

  /**
   * What part {@code part} of micro-batch {@code micro} of step {@code step} trains on, given the
   * micro-batch's clean examples. Parts are asked for in order, all of a micro-batch's before the
   * next micro-batch's.
   */
  LocalDataset.Batch augment(int step, int micro, int part, LocalDataset.Batch clean);

  /** How many micro-batches of the step each clean micro-batch becomes; 1 unless split. */
  default int parts() {
    return 1;
  }

  /**
   * The factor on part {@code part}'s running-statistics update (batch-norm mean and variance);
   * the parts' factors add up to {@link #parts()}.
   */
  default float runningStatsWeight(int part) {
    return 1f;
  }

  /**
   * Step {@code step}'s micro-batches: each of the {@code micro} clean micro-batches ({@code
   * clean}, built when first asked for) augmented, as {@link #parts()} micro-batches each.
   */
  static MicroBatches microBatches(StepAugmenter augmenter, int step, int micro,
      java.util.function.IntFunction<LocalDataset.Batch> clean) {
    int parts = augmenter.parts();
    LocalDataset.Batch[] last = new LocalDataset.Batch[1]; // the clean micro-batch of the parts
    return MicroBatches.of(micro * parts, j -> {
      int i = j / parts;
      int part = j % parts;
      if (part == 0) {
        last[0] = clean.apply(i);
      }
      return augmenter.augment(step, i, part, last[0]);
    }, j -> augmenter.runningStatsWeight(j % parts));
  }

  /** The epoch ended or failed: work for its steps is dropped. */
  void endEpoch();
}
