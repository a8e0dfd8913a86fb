package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.worker.data.LocalDataset;

/** Runs the steps of one epoch on one rank, in lock-step with the other ranks. */
public final class EpochRunner {
  private EpochRunner() {}

  /** Trains {@code schedule.steps()} steps and reports the epoch. */
  public static EpochResult run(ZeroTrainer trainer, LocalDataset data, EpochSchedule schedule,
      Collectives collectives, int epoch) {
    StepTimes times = StepTimes.ZERO;
    double lossSum = 0;
    long start = System.nanoTime();
    try {
      for (int step = 0; step < schedule.steps(); step++) {
        long b0 = System.nanoTime();
        LocalDataset.Batch batch = data.batch(schedule.indices(step));
        long b1 = System.nanoTime();
        ZeroTrainer.StepOutcome outcome = trainer.step(batch, collectives);
        lossSum += outcome.meanLoss();
        times = times.plus(outcome.times()).plus(new StepTimes(0, 0, 0, 0, b1 - b0));
      }
    } finally {
      trainer.endEpoch();
    }
    long trainNanos = System.nanoTime() - start;
    long samples = (long) schedule.steps() * schedule.batchSize();
    return new EpochResult(collectives.rank(), epoch, schedule.steps(), samples,
        lossSum / Math.max(1, schedule.steps()), trainer.paramHash(), times, trainNanos,
        trainer.stateBytes());
  }
}
