package io.sparkzero.driver.train;

import io.sparkzero.driver.progress.LiveSteps;
import io.sparkzero.sharding.collective.CollectiveOptions;
import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.collective.Rendezvous;
import io.sparkzero.worker.data.KeptIds;
import io.sparkzero.worker.data.LabeledExample;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.session.RankData;
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

  /** The driver's rendezvous, or null: the ranks meet through Spark's barrier. */
  private final RendezvousServer.Address rendezvous;

  /** The Java-serialized {@link io.sparkzero.worker.data.StreamPlan} when the ranks stream; null: they hold their partitions. */
  private final Broadcast<byte[]> stream;

  RankTask(RankJob job, EpochAttempt attempt, LiveSteps steps, Broadcast<KeptIds> kept,
      RendezvousServer.Address rendezvous, Broadcast<byte[]> stream) {
    this.job = job;
    this.stream = stream;
    this.rendezvous = rendezvous;
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
    int rank = context.partitionId();
    try (RankSession session = RankSession.open(job, attempt, rank,
        context.getTaskInfos().length)) {
      Ring ring = openRing(rendezvous(context), context);
      boolean keepRing = false;
      try (CancellationWatch watch = CancellationWatch.start(context, ring.collectives())) {
        long collectivesOpenMs = System.currentTimeMillis();
        StepMetrics.Observer observer = rank == 0 ? steps::add
            : StepMetrics.Observer.NONE; // every rank trains the same steps: one reports them
        RankData.Source data = stream == null
            ? () -> RankData.held(LocalDataset.collect(CollectionConverters.asJava(partition),
                job.numFeatures(), job.numClasses()))
            : () -> RankData.streamed(StreamBroadcast.plan(stream.value()));
        RankSession.Outcome outcome = session.run(ring.collectives(), data, observer,
            kept == null ? null : kept.value());
        RankReport report = new RankReport(outcome.result(), outcome.shardParams(),
            outcome.stateReceivedFromRank(), ProcessHandle.current().pid(),
            ProcessMemory.current(), outcome.offload(), new StageTimeline(taskStartMs,
                collectivesOpenMs, outcome.stateReadyAtMs(), outcome.trainStartedAtMs(),
                outcome.trainEndedAtMs(), outcome.finishedAtMs(), ring.kept()), gpu,
            outcome.stream());
        keepRing = ring.id() != null && !attempt.lastEpoch();
        return CollectionConverters.asScala(List.of(report).iterator());
      } finally {
        if (keepRing) {
          KeptRings.keep(job.jobId(), rank, ring.id(), ring.collectives());
        } else {
          ring.collectives().close();
        }
      }
    }
  }

  /**
   * This stage's ring.
   *
   * @param id names the gathering that built it, for keeping it to the next stage; null: not to
   *     be kept
   */
  private record Ring(String id, Collectives collectives, boolean kept) {}

  /**
   * The ring of the last stage when every rank kept it (they say so at the rendezvous, so all
   * decide alike), else a new one. Rings are kept only with the driver's rendezvous, where the
   * extra gathering costs milliseconds, not Spark's barrier's second.
   */
  private Ring openRing(Rendezvous meeting, BarrierTaskContext context) {
    String host = executorHost(context);
    if (!(meeting instanceof DriverRendezvous driver)) {
      return new Ring(null, CollectivesFactory.open(meeting, job, host), false);
    }
    KeptRings.Kept keptRing = KeptRings.take(job.jobId(), meeting.rank());
    String[] kept;
    try {
      kept = meeting.allGather(keptRing == null ? "" : keptRing.ringId());
    } catch (RuntimeException e) { // the stage fails: its kept ring goes with it
      if (keptRing != null) {
        keptRing.collectives().close();
      }
      throw e;
    }
    if (keptRing != null && java.util.Arrays.stream(kept).allMatch(keptRing.ringId()::equals)) {
      return new Ring(keptRing.ringId(), keptRing.collectives(), true);
    }
    if (keptRing != null) {
      keptRing.collectives().close();
    }
    Collectives fresh = CollectivesFactory.open(meeting, job, host);
    return new Ring(driver.lastGathering(), fresh, false);
  }

  /** The key of the driver's rendezvous, derived from the job's token. */
  static byte[] rendezvousKey(RankJob job) {
    return CollectiveOptions.digest("sz-rendezvous", job.jobToken());
  }

  /** Where this stage attempt's ranks meet. */
  private Rendezvous rendezvous(BarrierTaskContext context) {
    if (rendezvous == null) {
      return new SparkRendezvous(context);
    }
    return new DriverRendezvous(rendezvous, rendezvousKey(job), job.jobId() + "/stage "
        + context.stageId() + "." + context.stageAttemptNumber(), context.partitionId(),
        context.getTaskInfos().length, CollectivesFactory.options(job).timeoutMs(),
        context::killTaskIfInterrupted);
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
