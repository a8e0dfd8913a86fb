package io.sparkzero.worker.train;

import java.io.Serializable;

/**
 * Where a rank's training time went, summed over steps, in nanoseconds.
 *
 * @param computeNanos forward and backward (DL4J)
 * @param copyNanos moving parameters and gradients between ND4J and the flat arrays
 * @param commNanos inside collectives (includes waiting for slower ranks)
 * @param optimizerNanos the optimizer step over this rank's region
 * @param batchNanos cutting batches from the local data
 * @param advNanos adversarial steps' share of the training thread: the attacker's weight snapshot
 *     (an all-gather at ZeRO stage 3), disadv's attack, and waiting for conadv's attacker; 0
 *     without adversarial steps
 * @param hiddenCommNanos how long the rank's comm thread ran collectives while the training thread
 *     computed (not waiting for it): gradient buckets or layers reduced during the backward, stage
 *     3's gathers ahead of their layers; the communication the overlap took off the step. Not part of {@link #totalNanos()}, the training thread's own
 *     time, of which {@code commNanos} is the communication left exposed.
 */
public record StepTimes(
    long computeNanos, long copyNanos, long commNanos, long optimizerNanos, long batchNanos,
    long advNanos, long hiddenCommNanos)
    implements Serializable {

  public static final StepTimes ZERO = new StepTimes(0, 0, 0, 0, 0, 0, 0);

  /** Times of a step with no communication hidden behind compute. */
  public StepTimes(long computeNanos, long copyNanos, long commNanos, long optimizerNanos,
      long batchNanos, long advNanos) {
    this(computeNanos, copyNanos, commNanos, optimizerNanos, batchNanos, advNanos, 0);
  }

  /** Times of a step without adversarial work. */
  public StepTimes(long computeNanos, long copyNanos, long commNanos, long optimizerNanos, long batchNanos) {
    this(computeNanos, copyNanos, commNanos, optimizerNanos, batchNanos, 0);
  }

  public StepTimes plus(StepTimes o) {
    return new StepTimes(computeNanos + o.computeNanos, copyNanos + o.copyNanos,
        commNanos + o.commNanos, optimizerNanos + o.optimizerNanos, batchNanos + o.batchNanos,
        advNanos + o.advNanos, hiddenCommNanos + o.hiddenCommNanos);
  }

  public long totalNanos() {
    return computeNanos + copyNanos + commNanos + optimizerNanos + batchNanos + advNanos;
  }
}
