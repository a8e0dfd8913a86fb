package io.sparkzero.driver.train;

import java.io.Serializable;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Where one epoch's barrier stage spent its wall time beyond the step loop, along its critical
 * path: each phase ends when the last rank ends it (the ranks wait for each other at every
 * collective), so a phase is the time between the last rank leaving the one before and the last
 * rank leaving it. In milliseconds.
 *
 * @param launchMs from the driver submitting the stage to the last rank's task starting (Spark's
 *     scheduling, task serialization and launch)
 * @param rendezvousMs meeting the peers through Spark's barrier and opening the Aeron links
 * @param stateMs building (first epoch) or taking over (later epochs) the data and the model,
 *     restoring a checkpoint, aligning state across ranks, and the epoch's schedule
 * @param loopMs the step loop
 * @param finishMs the end-of-epoch checkpoint and the closing barrier
 * @param returnMs from the last rank being done to the driver holding every report (closing the
 *     links, the results' trip, the driver's checks)
 * @param betweenMs the driver's work since the previous stage ended (evaluation, pruning, the
 *     epoch's summary), or -1 for the run's first stage
 */
public record StageOverhead(long launchMs, long rendezvousMs, long stateMs, long loopMs,
    long finishMs, long returnMs, long betweenMs) implements Serializable {

  /**
   * The split of a stage the driver submitted at {@code submitMs} and held every report of at
   * {@code endMs}, from the ranks' timelines.
   *
   * @param previousEndMs when the previous stage ended, or -1
   */
  static StageOverhead of(long submitMs, long endMs, List<StageTimeline> ranks,
      long previousEndMs) {
    long started = last(ranks, StageTimeline::taskStartMs);
    long open = last(ranks, StageTimeline::collectivesOpenMs);
    long ready = last(ranks, StageTimeline::stateReadyMs);
    long trained = last(ranks, StageTimeline::trainEndMs);
    long done = last(ranks, StageTimeline::doneMs);
    return new StageOverhead(started - submitMs, open - started, ready - open, trained - ready,
        done - trained, endMs - done, previousEndMs < 0 ? -1 : submitMs - previousEndMs);
  }

  /** The stage's time outside the step loop. */
  public long fixedMs() {
    return launchMs + rendezvousMs + stateMs + finishMs + returnMs;
  }

  private static long last(List<StageTimeline> ranks, ToLongFunction<StageTimeline> point) {
    return ranks.stream().mapToLong(point).max().orElseThrow();
  }
}
