package io.sparkzero.worker.session;

import io.sparkzero.worker.data.EpochExamples;
import io.sparkzero.worker.data.KeptIds;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.data.StreamPlan;
import io.sparkzero.worker.data.StreamedEpoch;
import io.sparkzero.worker.train.EpochSchedule;

/**
 * Where a rank's examples come from, chosen once per job ({@code data.mode}): its partition held
 * in memory, read once and kept between epochs, or a stream of chunks read anew every epoch.
 */
public interface RankData {

  /**
   * The examples of one epoch attempt.
   *
   * @param kept the examples to train on (data pruning); null trains on all
   */
  EpochExamples epoch(RankJob job, EpochAttempt attempt, int rank, int worldSize, KeptIds kept);

  /** Builds a rank's data when the executor kept none from the previous epoch. */
  @FunctionalInterface
  interface Source {
    RankData open();
  }

  /**
   * A partition held in memory. Its order is drawn from (seed, epoch, rank) over the rank's own
   * examples: an example stays on its rank.
   */
  static RankData held(LocalDataset data) {
    return (job, attempt, rank, worldSize, kept) -> {
      LocalDataset shown = kept == null ? data : data.keeping(kept);
      if (shown.size() == 0 && data.size() > 0) {
        throw new IllegalStateException("rank " + rank + " keeps none of its " + data.size()
            + " examples in epoch " + (attempt.epoch() + 1) + ": data pruning kept " + kept.size()
            + " examples, all in other ranks' partitions; keep a larger pruning.fraction or use"
            + " fewer ranks");
      }
      return EpochSchedule.shuffled(shown.size(), job.batchSize(), job.stepsPerEpoch(),
          job.seed(), attempt.epoch(), rank).over(shown);
    };
  }

  /** The chunks of {@code plan}, streamed every epoch in a global order drawn from (seed, epoch). */
  static RankData streamed(StreamPlan plan) {
    return (job, attempt, rank, worldSize, kept) -> StreamedEpoch.open(plan, job.seed(),
        attempt.epoch(), rank, worldSize, job.stepsPerEpoch(), job.batchSize(),
        attempt.startStep(), kept);
  }
}
