package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.plan.Range;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.optim.ShardStepper;

/**
 * One ZeRO stage's way of holding a rank's model state and of running a step over it. Chosen
 * once, when the rank's trainer is built ({@link ZeroTrainer}), by asking the {@link
 * io.sparkzero.sharding.plan.ZeroStage} what it shards.
 */
interface StageStep {

  /**
   * Runs one synchronous step; every rank calls it with its own micro-batches (the same number on
   * every rank), whose gradients are summed before the optimizer step. The loss is multiplied by
   * {@code lossScale} (mixed precision); a model that computes in fp32 takes only 1.
   */
  ZeroTrainer.StepOutcome step(MicroBatches batches, Collectives collectives,
      float learningRate, float lossScale);

  /** {@link #step(MicroBatches, Collectives, float, float)} without loss scaling. */
  default ZeroTrainer.StepOutcome step(MicroBatches batches, Collectives collectives,
      float learningRate) {
    return step(batches, collectives, learningRate, 1f);
  }

  /** This rank's optimizer rule and its state (for its shard, or for everything at stage 0). */
  ShardStepper stepper();

  /** Copies the parameters of this rank's shard into {@code dst} (its exact length). */
  void copyShardParams(float[] dst);

  /**
   * The flat elements whose parameters this rank holds between steps: all of them at stages 0-2,
   * its shard at stage 3.
   */
  Range heldParams();

  /** Copies held parameters {@code [from, from + count)} (flat indices) into {@code dst}. */
  void readParams(int from, float[] dst, int offset, int count);

  /** Overwrites held parameters {@code [from, from + count)} (flat indices) from {@code src}. */
  void writeParams(int from, float[] src, int offset, int count);

  /**
   * Fingerprint of the parameters the ranks must agree on: the full replica at stages 0-2, where
   * every rank's hash must be equal; the rank's own shard at stage 3.
   */
  long paramHash();

  /**
   * Makes every rank's replica equal to {@code root}'s (stages 0-2); at stage 3, where no rank
   * holds a replica, does nothing.
   */
  void broadcastParams(Collectives collectives, int root);

  /** The model-state bytes this rank holds, read from the live buffers. */
  ModelStateBytes stateBytes();

  /** The epoch's collectives are about to close: stop using them. */
  default void endEpoch() {}

  /** The trainer ends: stop using the collectives and free what the stage holds itself. */
  default void close() {
    endEpoch();
  }
}
