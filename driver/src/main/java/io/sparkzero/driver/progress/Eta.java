package io.sparkzero.driver.progress;

import io.sparkzero.worker.train.StepMetrics;

/**
 * Time left in the epoch and in the job, from the step rate of the current stage attempt and the
 * wall time of the epochs already done (which includes what the steps do not: starting the
 * stage, checkpoints, evaluation).
 *
 * @param epochMs time left in the epoch, or -1 when not known yet
 * @param jobMs time left in the job, or -1 when not known yet
 */
record Eta(long epochMs, long jobMs) {
  static final Eta UNKNOWN = new Eta(-1, -1);

  /**
   * @param first the attempt's first step seen
   * @param last its newest step
   * @param epochsLeft whole epochs after the current one
   * @param meanEpochMs wall time of a finished epoch, or -1 when none finished yet
   */
  static Eta of(StepMetrics first, StepMetrics last, int epochsLeft, long meanEpochMs) {
    long spanSteps = last.globalStep() - first.globalStep();
    double stepMs = spanSteps > 0 ? (double) (last.timeMs() - first.timeMs()) / spanSteps
        : last.stepNanos() / 1e6;
    long epochMs = Math.round((last.stepsInEpoch() - last.step() - 1) * stepMs);
    long perEpochMs = meanEpochMs >= 0 ? meanEpochMs : Math.round(last.stepsInEpoch() * stepMs);
    return new Eta(epochMs, epochMs + epochsLeft * perEpochMs);
  }
}
