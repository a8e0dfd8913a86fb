package io.sparkzero.worker.train;

import java.io.Serializable;

/**
 * One training step as a rank saw it, published while the epoch runs (progress, the metrics file,
 * Spark's metrics system). Rank 0's steps speak for the job: the loss is averaged over the ranks
 * and the step is in lock-step on all of them.
 *
 * @param epoch zero-based epoch
 * @param step zero-based step within the epoch
 * @param stepsInEpoch steps in a whole epoch
 * @param globalStep zero-based step since the run's first step
 * @param loss the step's loss, averaged over the ranks
 * @param learningRate the learning rate the step used
 * @param gradNorm global gradient norm before clipping (NaN or infinite when skipped)
 * @param samples examples of all ranks in the step
 * @param stepNanos the step's wall time on this rank, batching included
 * @param times where the step's time went
 * @param skipped whether the step was skipped for an inf or NaN gradient
 * @param lossScale the loss scale after the step
 * @param heapUsedBytes this JVM's heap in use after the step
 * @param timeMs wall-clock time the step ended
 */
public record StepMetrics(
    int epoch, int step, int stepsInEpoch, long globalStep, double loss,
    double learningRate, double gradNorm, long samples, long stepNanos, StepTimes times,
    boolean skipped, float lossScale, long heapUsedBytes, long timeMs) implements Serializable {

  /** Examples of all ranks per second of this step's wall time. */
  public double samplesPerSecond() {
    return stepNanos <= 0 ? Double.NaN : samples / (stepNanos / 1e9);
  }

  /** Receives each step on the training thread: must return at once (hand work to another thread). */
  @FunctionalInterface
  public interface Observer {
    Observer NONE = m -> {};

    void onStep(StepMetrics metrics);
  }
}
