package io.sparkzero.driver.progress;

import io.sparkzero.worker.train.StepMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of the current stage attempt, each once and in order, out of the overlapping windows
 * that heartbeats carry ({@link RecentSteps}): a heartbeat repeats steps an earlier one carried,
 * a relaunched attempt trains steps again from its checkpoint, and a late heartbeat of a failed
 * attempt may arrive after the new one started.
 */
final class StepStream {
  private long accumulator = -1;
  private long lastGlobalStep = -1;
  private StepMetrics first;

  /** A new attempt: only the accumulator {@code accumulatorId} counts from now on. */
  void begin(long accumulatorId, long firstGlobalStep) {
    accumulator = accumulatorId;
    lastGlobalStep = firstGlobalStep - 1;
    first = null;
  }

  /** The steps of {@code window} not seen yet, oldest first; none from another accumulator. */
  List<StepMetrics> accept(long accumulatorId, RecentSteps window) {
    List<StepMetrics> fresh = new ArrayList<>();
    if (accumulatorId != accumulator) {
      return fresh;
    }
    for (StepMetrics m : window.steps()) {
      if (m.globalStep() > lastGlobalStep) {
        lastGlobalStep = m.globalStep();
        first = first == null ? m : first;
        fresh.add(m);
      }
    }
    return fresh;
  }

  /** The attempt's first step seen, or null. */
  StepMetrics first() {
    return first;
  }
}
