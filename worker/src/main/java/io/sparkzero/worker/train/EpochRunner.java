package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.worker.data.LocalDataset;

/** Runs the steps of one epoch on one rank, in lock-step with the other ranks. */
public final class EpochRunner {
  private EpochRunner() {}

  /** Called on the training thread after each step, between steps (where a checkpoint is taken). */
  @FunctionalInterface
  public interface StepHook {
    StepHook NONE = (step, collectives) -> {};

    /** Step {@code step} of the epoch (0-based) is done on every rank. */
    void afterStep(int step, Collectives collectives);
  }

  /** Trains {@code schedule.steps()} steps and reports the epoch. */
  public static EpochResult run(ZeroTrainer trainer, LocalDataset data, EpochSchedule schedule,
      Collectives collectives, int epoch) {
    return run(trainer, data, schedule, collectives, epoch, 0, StepHook.NONE);
  }

  /**
   * Trains steps {@code [fromStep, schedule.steps())} of the epoch (a resumed epoch starts past
   * 0), calling {@code hook} after each, and reports them.
   */
  public static EpochResult run(ZeroTrainer trainer, LocalDataset data, EpochSchedule schedule,
      Collectives collectives, int epoch, int fromStep, StepHook hook) {
    StepTimes times = StepTimes.ZERO;
    double lossSum = 0;
    long start = System.nanoTime();
    int steps = Math.max(0, schedule.steps() - fromStep);
    try {
      for (int step = fromStep; step < schedule.steps(); step++) {
        long b0 = System.nanoTime();
        LocalDataset.Batch batch = data.batch(schedule.indices(step));
        long b1 = System.nanoTime();
        ZeroTrainer.StepOutcome outcome = trainer.step(batch, collectives);
        lossSum += outcome.meanLoss();
        times = times.plus(outcome.times()).plus(new StepTimes(0, 0, 0, 0, b1 - b0));
        hook.afterStep(step, collectives);
      }
    } finally {
      trainer.endEpoch();
    }
    long trainNanos = System.nanoTime() - start;
    long samples = (long) steps * schedule.batchSize();
    return new EpochResult(collectives.rank(), epoch, steps, samples,
        lossSum / Math.max(1, steps), trainer.paramHash(), times, trainNanos,
        trainer.stateBytes());
  }
}
