package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.worker.data.BatchMaker;
import io.sparkzero.worker.data.EpochExamples;
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
    return run(trainer, data, BatchMaker.CLASSIFY, schedule, 1, collectives, epoch, 0,
        StepHook.NONE, StepMetrics.Observer.NONE);
  }

  /**
   * Trains steps {@code [fromStep, schedule.steps())} of the epoch (a resumed epoch starts past
   * 0), calling {@code hook} after each, and reports them. {@code batches} turns examples into
   * the network's input and target (the job's objective). Each step's examples ({@code
   * schedule.batchSize()}) are cut into {@code microBatches} equal micro-batches whose gradients
   * are summed (gradient accumulation); global step numbers count from epoch 0's first step.
   * {@code observer} sees each step's metrics as soon as the step ends.
   */
  public static EpochResult run(ZeroTrainer trainer, LocalDataset data, BatchMaker batches,
      EpochSchedule schedule, int microBatches, Collectives collectives, int epoch, int fromStep, StepHook hook,
      StepMetrics.Observer observer) {
    return run(trainer, data, batches, schedule, microBatches, collectives, epoch, fromStep, hook, observer,
        StepAugmenter.NONE);
  }

  /**
   * As above, with {@code augmenter} adding examples (adversarial ones) to every micro-batch. The
   * reported samples count the clean examples only.
   */
  public static EpochResult run(ZeroTrainer trainer, LocalDataset data, BatchMaker batches,
      EpochSchedule schedule, int microBatches, Collectives collectives, int epoch, int fromStep, StepHook hook,
      StepMetrics.Observer observer, StepAugmenter augmenter) {
    return run(trainer, schedule.over(data), batches, schedule.steps(), schedule.batchSize(),
        microBatches, collectives, epoch, fromStep, hook, observer, augmenter);
  }

  /**
   * Trains steps {@code [fromStep, steps)} of the epoch on {@code examples} ({@code batchSize}
   * per step, held or streamed), telling {@code examples} each trained step so a stream drops
   * it. The rest as above.
   */
  public static EpochResult run(ZeroTrainer trainer, EpochExamples examples, BatchMaker batches,
      int stepsInEpoch, int batchSize, int microBatches, Collectives collectives, int epoch,
      int fromStep, StepHook hook, StepMetrics.Observer observer, StepAugmenter augmenter) {
    if (microBatches < 1 || batchSize % microBatches != 0) {
      throw new IllegalArgumentException(batchSize + " examples per step do not split"
          + " into " + microBatches + " equal micro-batches");
    }
    int microSize = batchSize / microBatches;
    StepTimes times = StepTimes.ZERO;
    double lossSum = 0;
    int skipped = 0;
    double lastRate = 0;
    double lastNorm = 0;
    long start = System.nanoTime();
    long sentBefore = collectives.stats().bytesSent();
    int steps = Math.max(0, stepsInEpoch - fromStep);
    StepAugmenter.CleanBatches clean = StepAugmenter.CleanBatches.of(stepsInEpoch, fromStep, microBatches,
        (step, micro) -> examples.batch(batches, step, micro * microSize, (micro + 1) * microSize));
    try {
      for (int step = fromStep; step < stepsInEpoch; step++) {
        long b0 = System.nanoTime();
        augmenter.beforeStep(trainer, collectives, epoch, step, clean);
        long advBefore = System.nanoTime() - b0;
        int stepInEpoch = step;
        long[] batchNanos = new long[1];
        long[] advNanos = new long[1];
        MicroBatches parts = StepAugmenter.microBatches(augmenter, stepInEpoch, microBatches, i -> {
          long t0 = System.nanoTime();
          LocalDataset.Batch cut = clean.batch(stepInEpoch, i);
          batchNanos[0] += System.nanoTime() - t0;
          return cut;
        });
        // advNanos: the micro-batches' whole making; the clean cuts' share is taken out below
        MicroBatches micro = MicroBatches.of(parts.count(), j -> {
          long t0 = System.nanoTime();
          LocalDataset.Batch batch = parts.get(j);
          advNanos[0] += System.nanoTime() - t0;
          return batch;
        }, parts::runningStatsWeight);
        long globalStep = (long) epoch * stepsInEpoch + step;
        long b1 = System.nanoTime();
        ZeroTrainer.StepOutcome outcome = trainer.step(micro, collectives, globalStep);
        lossSum += outcome.meanLoss();
        skipped += outcome.report().applied() ? 0 : 1;
        lastRate = trainer.learningRate(globalStep);
        lastNorm = outcome.report().gradNorm();
        advNanos[0] -= batchNanos[0];
        long adv = advBefore + advNanos[0];
        // Without an augmenter its pass-through calls are batching, so a plain run shows no adversarial part.
        StepTimes batchTime = augmenter == StepAugmenter.NONE
            ? new StepTimes(0, 0, 0, 0, (b1 - b0 - advBefore) + batchNanos[0] + adv, 0)
            : new StepTimes(0, 0, 0, 0, (b1 - b0 - advBefore) + batchNanos[0], adv);
        StepTimes stepTimes = outcome.times();
        // building (and augmenting) micro-batches happened inside the step's compute span: move it out
        StepTimes stepSplit = new StepTimes(stepTimes.computeNanos() - batchNanos[0] - advNanos[0],
            stepTimes.copyNanos(), stepTimes.commNanos(), stepTimes.optimizerNanos(),
            stepTimes.batchNanos(), stepTimes.advNanos(), stepTimes.hiddenCommNanos())
            .plus(batchTime);
        times = times.plus(stepSplit);
        observer.onStep(metrics(trainer, stepsInEpoch, batchSize, collectives, epoch, step,
            globalStep, outcome, lastRate, System.nanoTime() - b0, stepSplit));
        examples.trained(step);
        hook.afterStep(step, collectives);
      }
    } finally {
      augmenter.endEpoch();
      trainer.endEpoch();
    }
    long trainNanos = System.nanoTime() - start;
    long samples = (long) steps * batchSize;
    return new EpochResult(collectives.rank(), epoch, steps, samples,
        lossSum / Math.max(1, steps), trainer.paramHash(), times, trainNanos,
        trainer.stateBytes(), skipped, lastRate, lastNorm, trainer.lossScale().scale(),
        collectives.stats().bytesSent() - sentBefore);
  }

  private static StepMetrics metrics(ZeroTrainer trainer, int stepsInEpoch, int batchSize,
      Collectives collectives, int epoch, int step, long globalStep, ZeroTrainer.StepOutcome outcome,
      double rate, long stepNanos, StepTimes split) {
    Runtime jvm = Runtime.getRuntime();
    return new StepMetrics(epoch, step, stepsInEpoch, globalStep, outcome.meanLoss(), rate,
        outcome.report().gradNorm(), (long) batchSize * collectives.worldSize(),
        stepNanos, split, !outcome.report().applied(), trainer.lossScale().scale(),
        jvm.totalMemory() - jvm.freeMemory(), System.currentTimeMillis());
  }
}
