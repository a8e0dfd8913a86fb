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
 */
public record StepTimes(
    long computeNanos, long copyNanos, long commNanos, long optimizerNanos, long batchNanos)
    implements Serializable {

  public static final StepTimes ZERO = new StepTimes(0, 0, 0, 0, 0);

  public StepTimes plus(StepTimes o) {
    return new StepTimes(computeNanos + o.computeNanos, copyNanos + o.copyNanos,
        commNanos + o.commNanos, optimizerNanos + o.optimizerNanos, batchNanos + o.batchNanos);
  }

  public long totalNanos() {
    return computeNanos + copyNanos + commNanos + optimizerNanos + batchNanos;
  }
}
