package io.sparkzero.worker.session;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.worker.adv.Adversary;
import io.sparkzero.worker.concurrent.RankDevice;
import io.sparkzero.worker.data.EpochExamples;
import io.sparkzero.worker.data.KeptIds;
import io.sparkzero.worker.data.LabeledExample;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.data.StreamStats;
import io.sparkzero.worker.model.Models;
import io.sparkzero.worker.model.TrainableModel;
import io.sparkzero.worker.optim.StateTraffic;
import io.sparkzero.worker.train.EpochResult;
import io.sparkzero.worker.train.EpochRunner;
import io.sparkzero.worker.train.StepAugmenter;
import io.sparkzero.worker.train.StepMetrics;
import io.sparkzero.worker.train.ZeroTrainer;
import java.util.Iterator;
import java.util.function.Supplier;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One rank's part in one epoch attempt, top to bottom: take the state this executor kept from the
 * previous epoch (or build the model and restore the named checkpoint), make every rank start
 * from the same state, train the epoch's steps in lock-step, checkpoint, keep the state for the
 * next epoch, report. Knows nothing of Spark: the driver's barrier task opens the collectives and
 * hands over the rank's partition.
 *
 * <pre>{@code
 * try (RankSession session = RankSession.open(job, attempt, rank, worldSize);
 *     Collectives collectives = CollectivesFactory.open(rendezvous, job)) {
 *   RankSession.Outcome outcome = session.run(collectives, () -> partition, observer);
 * }
 * }</pre>
 */
public final class RankSession implements AutoCloseable {
  private final RankJob job;
  private final EpochAttempt attempt;
  private final int rank;
  private final int worldSize;
  /** The state this executor kept for the rank, valid for this attempt; else null. */
  private final RankState kept;
  private RankState state;
  private boolean keepAtClose;

  /**
   * What a rank reports at the end of an attempt.
   *
   * @param result the epoch's metrics and parameter hash
   * @param shardParams the rank's shard of the parameters when the attempt returns them; else null
   * @param stateReceivedFromRank the rank whose state this rank received at the start, or -1
   * @param offload what the rank's offloaded optimizer state moved so far
   * @param stateReadyAtMs wall-clock time the rank's state was ready: its data and model built (or
   *     kept from the last epoch), restored and aligned with the other ranks
   * @param trainStartedAtMs wall-clock time the rank started the attempt's first step
   * @param trainEndedAtMs wall-clock time the rank's last step ended
   * @param finishedAtMs wall-clock time the rank was done: the epoch's checkpoint and the closing
   *     barrier behind it, its state kept for the next epoch
   * @param stream what the rank's data stream did; {@link StreamStats#NONE} for held data
   */
  public record Outcome(EpochResult result, float[] shardParams, int stateReceivedFromRank,
      StateTraffic offload, long stateReadyAtMs, long trainStartedAtMs, long trainEndedAtMs,
      long finishedAtMs, StreamStats stream) {}

  private RankSession(RankJob job, EpochAttempt attempt, int rank, int worldSize, RankState kept) {
    this.job = job;
    this.attempt = attempt;
    this.rank = rank;
    this.worldSize = worldSize;
    this.kept = kept;
    this.state = kept;
  }

  /**
   * Rank {@code rank} of {@code worldSize} starting an attempt. Kept state is the starting point
   * only if it ended the previous epoch and the attempt starts at the epoch's first step (a
   * relaunch after a failure may start mid-epoch); other kept state is dropped here.
   */
  public static RankSession open(RankJob job, EpochAttempt attempt, int rank, int worldSize) {
    Nd4jThreads.configure(job.nd4jThreads());
    RankState kept = ExecutorRuntime.take(job.jobId(), rank);
    if (kept != null && (kept.epochsDone() != attempt.epoch() || attempt.startStep() != 0
        || kept.device() != RankDevice.current())) { // another GPU of the executor
      kept.trainer().close();
      kept = null;
    }
    return new RankSession(job, attempt, rank, worldSize, kept);
  }

  /**
   * Runs the attempt over {@code collectives}; {@code partition} gives the rank's examples, read
   * only when no state was kept. {@code observer} sees each step as it ends.
   */
  public Outcome run(Collectives collectives, Supplier<Iterator<LabeledExample>> partition,
      StepMetrics.Observer observer) {
    return run(collectives, partition, observer, null);
  }

  /**
   * As {@link #run(Collectives, Supplier, StepMetrics.Observer)}, training only on the examples
   * {@code keptIds} names (data pruning); null trains on all. The rank keeps its whole partition
   * between epochs, so a later epoch may keep another set.
   */
  public Outcome run(Collectives collectives, Supplier<Iterator<LabeledExample>> partition,
      StepMetrics.Observer observer, KeptIds keptIds) {
    return run(collectives, () -> RankData.held(LocalDataset.collect(partition.get(),
        job.numFeatures(), job.numClasses())), observer, keptIds);
  }

  /**
   * Runs the attempt over {@code collectives} on the rank's {@code data}, opened only when no
   * state was kept, training only on the examples {@code keptIds} names (data pruning; null: all).
   * {@code observer} sees each step as it ends.
   */
  public Outcome run(Collectives collectives, RankData.Source data, StepMetrics.Observer observer,
      KeptIds keptIds) {
    try (StageCheckpoints checkpoints = StageCheckpoints.open(job, attempt, rank)) {
      boolean restored = false;
      if (state == null) {
        state = fresh(data);
        restored = checkpoints.restore(state.trainer());
      }
      int receivedFrom = StateSync.align(state.trainer(), kept != null || restored,
          attempt.epoch(), collectives);
      long stateReadyAtMs = System.currentTimeMillis();
      long trainStartedAtMs = System.currentTimeMillis();
      EpochResult result;
      StreamStats stream;
      try (EpochExamples examples = state.data().epoch(job, attempt, rank, worldSize, keptIds);
          Adversary adversary = job.adv().enabled() ? new Adversary(job.adv(), state.trainer(), job.seed(), rank,
          job.checkpoint().enabled() ? job.checkpoint().everySteps() : 0)
          : null) {
        result = EpochRunner.run(state.trainer(), examples,
            job.objective().batches(job.seed(), attempt.epoch(), job.numFeatures()),
            job.stepsPerEpoch(), job.batchSize(), job.microBatches(), collectives,
            attempt.epoch(), attempt.startStep(), checkpoints.hook(state.trainer()), observer,
            adversary == null ? StepAugmenter.NONE : adversary);
        stream = examples.stats();
      }
      long trainEndedAtMs = System.currentTimeMillis();
      checkpoints.endOfEpoch(state.trainer(), collectives);
      collectives.barrier();
      float[] params = attempt.returnParams() ? state.trainer().shardParams() : null;
      if (attempt.lastEpoch()) {
        ExecutorRuntime.release(job.jobId());
      } else {
        ExecutorRuntime.put(job.jobId(), rank,
            new RankState(state.trainer(), state.data(), attempt.epoch() + 1,
                RankDevice.current()));
        keepAtClose = true;
      }
      return new Outcome(result, params, receivedFrom,
          state.trainer().optimizerState().traffic(), stateReadyAtMs, trainStartedAtMs,
          trainEndedAtMs, System.currentTimeMillis(), stream);
    }
  }

  /** Closes the trainer unless it was kept for the next epoch: offloaded state goes with it. */
  @Override
  public void close() {
    if (!keepAtClose && state != null) {
      state.trainer().close(); // the job's end, or a failure
    }
  }

  private RankState fresh(RankData.Source source) {
    RankData data = source.open();
    TrainableModel built = Models.create(job.model(), job.seed());
    TrainableModel model = job.halfPrecision() ? built.toHalfPrecision() : built;
    return new RankState(ZeroTrainer.create(model, job.optimizer(), job.schedule(),
        job.lossScale(), job.zero(), job.offload(), job.jobId() + "-rank-" + rank, rank,
        worldSize), data, 0, RankDevice.current());
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
