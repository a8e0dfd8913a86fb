package io.sparkzero.driver.progress;

import io.sparkzero.worker.train.StepMetrics;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.util.AccumulatorV2;

/**
 * The steps a rank trained most recently, carried to the driver by Spark itself while the stage
 * runs: executors send their tasks' accumulators with every heartbeat ({@code
 * spark.executor.heartbeatInterval}), and the driver sees them as {@code
 * SparkListenerExecutorMetricsUpdate} events ({@link LiveStepsListener}); the final value comes
 * back with the task's result. No files, no extra ports, the same path in local mode and on a
 * cluster.
 *
 * <p>A heartbeat carries the whole value, so it holds only the newest {@link #CAPACITY} steps:
 * more steps than that between two heartbeats leave a gap in what the driver sees. The value is
 * an immutable array replaced on each step, so the heartbeat thread reads a consistent one while
 * the training thread adds. One accumulator per stage attempt: its id tells the driver which
 * attempt a step belongs to.
 */
public final class LiveSteps extends AccumulatorV2<StepMetrics, RecentSteps> {
  private static final long serialVersionUID = 1L;

  /** Steps kept: at 2 s heartbeats, enough for 500 steps per second. */
  static final int CAPACITY = 1024;

  private volatile StepMetrics[] recent = new StepMetrics[0];

  @Override
  public boolean isZero() {
    return recent.length == 0;
  }

  @Override
  public LiveSteps copy() {
    LiveSteps copy = new LiveSteps();
    copy.recent = recent;
    return copy;
  }

  @Override
  public void reset() {
    recent = new StepMetrics[0];
  }

  /** Called on the training thread after each step of the rank that reports. */
  @Override
  public void add(StepMetrics step) {
    StepMetrics[] now = recent;
    int keep = Math.min(now.length, CAPACITY - 1);
    StepMetrics[] next = Arrays.copyOfRange(now, now.length - keep, now.length + 1);
    next[keep] = step;
    recent = next;
  }

  /** Keeps the other value when it is newer: only one rank's task adds steps. */
  @Override
  public void merge(AccumulatorV2<StepMetrics, RecentSteps> other) {
    RecentSteps theirs = other.value();
    if (!theirs.isEmpty()
        && (isZero() || theirs.last().globalStep() >= recent[recent.length - 1].globalStep())) {
      recent = theirs.steps().toArray(StepMetrics[]::new);
    }
  }

  /** The newest steps, oldest first. */
  @Override
  public RecentSteps value() {
    return new RecentSteps(List.of(recent));
  }
}
