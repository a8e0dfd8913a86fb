package io.sparkzero.driver.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.worker.data.LabeledExample;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.model.TrainableModel;
import io.sparkzero.worker.train.ZeroTrainer;
import io.sparkzero.worker.train.EpochResult;
import io.sparkzero.worker.train.EpochRunner;
import io.sparkzero.worker.train.EpochSchedule;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.nd4j.linalg.factory.Nd4j;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One rank's work in one epoch's barrier stage: restore state, meet the peers, make sure every
 * rank starts from the same parameters, train the epoch's steps in lock-step, keep the state for the
 * next stage, report.
 */
final class RankTask extends AbstractFunction1<Iterator<LabeledExample>, Iterator<RankReport>>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final RankSpec spec;

  RankTask(RankSpec spec) {
    this.spec = spec;
  }

  @Override
  public Iterator<RankReport> apply(Iterator<LabeledExample> partition) {
    BarrierTaskContext context = BarrierTaskContext.get();
    int rank = context.partitionId();
    Nd4jThreads.configure(spec.nd4jThreads());
    RankState cached = ExecutorRuntime.take(spec.jobId(), rank);
    // Kept state is this stage's starting point only if it ended the previous epoch and the stage
    // starts at the epoch's first step (a relaunch after a failure may start mid-epoch).
    if (cached != null && (cached.epochsDone() != spec.epoch() || spec.startStep() != 0)) {
      cached.trainer().close();
      cached = null;
    }
    RankState state = cached;
    boolean keep = false;
    try (Collectives collectives = CollectivesFactory.open(new SparkRendezvous(context), spec);
        CancellationWatch watch = CancellationWatch.start(context, collectives);
        StageCheckpoints checkpoints = StageCheckpoints.open(spec, rank)) {
      boolean restored = false;
      if (state == null) {
        state = fresh(partition, rank, context.getTaskInfos().length);
        restored = checkpoints.restore(state.trainer());
      }
      int receivedFrom = StateSync.align(state.trainer(), cached != null || restored, spec.epoch(),
          collectives);
      EpochSchedule schedule = EpochSchedule.shuffled(state.data().size(), spec.batchSize(),
          spec.stepsPerEpoch(), spec.seed(), spec.epoch(), rank);
      long trainStartedAtMs = System.currentTimeMillis();
      EpochResult result = EpochRunner.run(state.trainer(), state.data(), schedule,
          spec.microBatches(), collectives, spec.epoch(), spec.startStep(),
          checkpoints.hook(state.trainer()));
      checkpoints.endOfEpoch(state.trainer(), collectives);
      collectives.barrier();
      float[] params = spec.returnParams() ? state.trainer().shardParams() : null;
      if (spec.lastEpoch()) {
        ExecutorRuntime.release(spec.jobId());
      } else {
        ExecutorRuntime.put(spec.jobId(), rank,
            new RankState(state.trainer(), state.data(), spec.epoch() + 1));
        keep = true;
      }
      RankReport report = new RankReport(result, params, receivedFrom,
          ProcessHandle.current().pid(), ProcessMemory.current(),
          state.trainer().optimizerState().traffic(), trainStartedAtMs);
      return CollectionConverters.asScala(List.of(report).iterator());
    } finally {
      if (!keep && state != null) {
        state.trainer().close(); // the job's end, or a failure: offloaded state goes with it
      }
    }
  }

  private RankState fresh(Iterator<LabeledExample> partition, int rank, int worldSize) {
    LocalDataset data = LocalDataset.collect(CollectionConverters.asJava(partition),
        spec.numFeatures(), spec.numClasses());
    TrainableModel built = Models.create(spec.model(), spec.seed());
    TrainableModel model = spec.halfPrecision() ? built.toHalfPrecision() : built;
    return new RankState(ZeroTrainer.create(model, spec.optimizer(), spec.schedule(),
        spec.lossScale(), spec.zero(), spec.offload(), spec.jobId() + "-rank-" + rank, rank,
        worldSize), data, 0);
  }

  /** ND4J's OpenMP pool is per process: size it once to the cores a rank has. */
  static final class Nd4jThreads {
    private Nd4jThreads() {}

    static synchronized void configure(int threads) {
      if (Nd4j.getEnvironment().maxThreads() != threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
      }
    }
  }
}
