package io.sparkzero.driver.train;

import io.sparkzero.driver.progress.LiveSteps;
import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.worker.data.KeptIds;
import io.sparkzero.worker.data.LabeledExample;
import io.sparkzero.worker.session.CollectivesFactory;
import io.sparkzero.worker.session.EpochAttempt;
import io.sparkzero.worker.session.GpuBinding;
import io.sparkzero.worker.session.RankJob;
import io.sparkzero.worker.session.RankSession;
import io.sparkzero.worker.train.StepMetrics;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One rank in one epoch attempt's barrier stage: the Spark adapter to {@link RankSession}. It
 * takes the rank and the world size from the barrier context, meets the peers through Spark's
 * barrier, lets Spark's task kill cancel the collectives, publishes rank 0's steps to the driver
 * while they run ({@link LiveSteps}), and returns the rank's report.
 */
final class RankTask extends AbstractFunction1<Iterator<LabeledExample>, Iterator<RankReport>>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final RankJob job;
  private final EpochAttempt attempt;
  private final LiveSteps steps;
  /** The examples the epoch trains on when the run prunes its data; null: all. */
  private final Broadcast<KeptIds> kept;

  RankTask(RankJob job, EpochAttempt attempt, LiveSteps steps, Broadcast<KeptIds> kept) {
    this.job = job;
    this.attempt = attempt;
    this.steps = steps;
    this.kept = kept;
  }

  @Override
  public Iterator<RankReport> apply(Iterator<LabeledExample> partition) {
    long taskStartMs = System.currentTimeMillis();
    BarrierTaskContext context = BarrierTaskContext.get();
    // Before the rank's first array: ND4J allocates on the device its thread is bound to.
    GpuBinding gpu = GpuBinding.bind(gpuAddresses(context), context.partitionId());
    try (RankSession session = RankSession.open(job, attempt, context.partitionId(),
            context.getTaskInfos().length);
        Collectives collectives = CollectivesFactory.open(
            new SparkRendezvous(context), job, executorHost(context));
        CancellationWatch watch = CancellationWatch.start(context, collectives)) {
      long collectivesOpenMs = System.currentTimeMillis();
      StepMetrics.Observer observer = context.partitionId() == 0 ? steps::add
          : StepMetrics.Observer.NONE; // every rank trains the same steps: one reports them
      RankSession.Outcome outcome =
          session.run(collectives, () -> CollectionConverters.asJava(partition), observer,
              kept == null ? null : kept.value());
      RankReport report = new RankReport(outcome.result(), outcome.shardParams(),
          outcome.stateReceivedFromRank(), ProcessHandle.current().pid(),
          ProcessMemory.current(), outcome.offload(), new StageTimeline(taskStartMs,
              collectivesOpenMs, outcome.stateReadyAtMs(), outcome.trainStartedAtMs(),
              outcome.trainEndedAtMs(), outcome.finishedAtMs()), gpu);
      return CollectionConverters.asScala(List.of(report).iterator());
    }
  }

  /** The addresses of the GPUs Spark's scheduler gave this task, or null when it has none. */
  private static String[] gpuAddresses(BarrierTaskContext context) {
    scala.Option<org.apache.spark.resource.ResourceInformation> gpus =
        context.resources().get(GpuBinding.RESOURCE);
    return gpus.isDefined() ? gpus.get().addresses() : null;
  }

  /**
   * The host part of this task's address as Spark's scheduler knows it ({@code host:port}); null
   * under a local master, whose ranks all run on this host and meet on loopback.
   */
  private static String executorHost(BarrierTaskContext context) {
    if (SparkSessions.isLocal(SparkEnv.get().conf().get("spark.master", "local"))) {
      return null;
    }
    String address = context.getTaskInfos()[context.partitionId()].address();
    int colon = address.lastIndexOf(':');
    return colon < 0 ? address : address.substring(0, colon);
  }
}
