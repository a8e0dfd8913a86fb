package io.sparkzero.driver.progress;

import io.sparkzero.worker.train.StepMetrics;
import java.io.Serializable;
import java.util.List;

/**
 * The value of a {@link LiveSteps} accumulator: the newest steps, oldest first. Spark's UI shows
 * named accumulators by {@link #toString()}, so that is a one-line digest, not the steps.
 */
public record RecentSteps(List<StepMetrics> steps) implements Serializable {
  public static final RecentSteps NONE = new RecentSteps(List.of());

  public boolean isEmpty() {
    return steps.isEmpty();
  }

  /** The newest step; the value must not be empty. */
  public StepMetrics last() {
    return steps.get(steps.size() - 1);
  }

  @Override
  public String toString() {
    if (steps.isEmpty()) {
      return "no steps yet";
    }
    StepMetrics last = last();
    return String.format(java.util.Locale.ROOT, "epoch %d step %d/%d, loss %.4f", last.epoch() + 1,
        last.step() + 1, last.stepsInEpoch(), last.loss());
  }
}
