package io.sparkzero.driver.progress;

import java.util.function.Consumer;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Hands the steps that executors' heartbeats (and finished tasks) carry in a {@link LiveSteps}
 * accumulator to {@code sink}. Runs on Spark's listener thread: {@code sink} must return at once.
 */
final class LiveStepsListener extends SparkListener {
  private final Consumer<AttemptSteps> sink;

  /** The steps of the accumulator with id {@code accumulatorId}, oldest first. */
  record AttemptSteps(long accumulatorId, RecentSteps steps) {}

  LiveStepsListener(Consumer<AttemptSteps> sink) {
    this.sink = sink;
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> task
        : CollectionConverters.asJava(update.accumUpdates())) {
      offer(task._4());
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (end.taskInfo() != null) {
      offer(end.taskInfo().accumulables());
    }
  }

  private void offer(scala.collection.Seq<AccumulableInfo> infos) {
    for (AccumulableInfo info : CollectionConverters.asJava(infos)) {
      if (info.update().isDefined() && info.update().get() instanceof RecentSteps steps
          && !steps.isEmpty()) {
        sink.accept(new AttemptSteps(info.id(), steps));
      }
    }
  }
}
