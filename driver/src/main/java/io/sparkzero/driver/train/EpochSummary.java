package io.sparkzero.driver.train;

import io.sparkzero.worker.optim.StateTraffic;
import io.sparkzero.worker.session.GpuBinding;
import io.sparkzero.worker.train.EpochResult;
import io.sparkzero.worker.train.StepTimes;
import java.io.Serializable;
import java.util.List;

/**
 * One epoch as the driver saw it: every rank's report, the agreed parameter hash and throughput.
 *
 * @param epoch zero-based epoch
 * @param ranks the ranks' reports, by rank
 * @param processIds the JVM process id each rank ran in, by rank
 * @param statesReceived for each rank, the rank it received its state from this stage, or -1
 * @param memory for each rank, the memory of the JVM it ran in
 * @param offload for each rank, what its offloaded optimizer state moved so far
 * @param gpus for each rank, the GPU Spark gave its task and the device it computed on
 * @param stageNanos wall time of the barrier stage on the driver (includes Spark scheduling and,
 *     in the first epoch, collecting the partitions)
 * @param overhead where the stage's time went beyond the step loop (its last attempt's)
 * @param ringsKept for each rank, whether it took up the ring kept from the last stage
 */
public record EpochSummary(
    int epoch, List<EpochResult> ranks, List<Long> processIds, List<Integer> statesReceived,
    List<ProcessMemory> memory, List<StateTraffic> offload, List<GpuBinding> gpus, long stageNanos,
    StageOverhead overhead, List<Boolean> ringsKept)
    implements Serializable {

  static EpochSummary of(List<RankReport> reports, long stageNanos, StageOverhead overhead) {
    return new EpochSummary(reports.get(0).result().epoch(),
        reports.stream().map(RankReport::result).toList(),
        reports.stream().map(RankReport::processId).toList(),
        reports.stream().map(RankReport::stateReceivedFromRank).toList(),
        reports.stream().map(RankReport::memory).toList(),
        reports.stream().map(RankReport::offload).toList(),
        reports.stream().map(RankReport::gpu).toList(), stageNanos, overhead,
        reports.stream().map(r -> r.timeline().ringKept()).toList());
  }

  /** Examples trained by all ranks together. */
  public long samples() {
    return ranks.stream().mapToLong(EpochResult::samples).sum();
  }

  /** Training throughput over the ranks' step loops (the slowest rank's loop time). */
  public double trainSamplesPerSecond() {
    long slowest = ranks.stream().mapToLong(EpochResult::trainNanos).max().orElse(1);
    return samples() / (slowest / 1e9);
  }

  /** Throughput over the whole stage as the driver timed it. */
  public double stageSamplesPerSecond() {
    return samples() / (stageNanos / 1e9);
  }

  public double meanLoss() {
    return ranks.get(0).meanLoss();
  }

  public long paramHash() {
    return ranks.get(0).paramHash();
  }

  /** Rank 0's time split as fractions of its step loop. */
  public String timeSplit() {
    StepTimes t = ranks.get(0).times();
    double total = Math.max(1, t.totalNanos());
    String split = String.format("compute %.0f%%, comm %.0f%%, copy %.0f%%, optimizer %.0f%%, batching %.0f%%",
        100 * t.computeNanos() / total, 100 * t.commNanos() / total, 100 * t.copyNanos() / total,
        100 * t.optimizerNanos() / total, 100 * t.batchNanos() / total);
    if (t.advNanos() != 0) {
      split += String.format(", adversarial %.0f%%", 100 * t.advNanos() / total);
    }
    if (t.hiddenCommNanos() != 0) { // communication the backward hid, beside the split
      split += String.format(", comm hidden by compute %.0f ms", t.hiddenCommNanos() / 1e6);
    }
    return split;
  }

  String describe() {
    EpochResult r = ranks.get(0);
    return String.format(java.util.Locale.ROOT, "spark-zero: epoch %d: loss %.4f, %.1f samples/s in"
        + " the step loop (%.1f over the stage), params %016x on all %d ranks; last step: lr %.3g,"
        + " gradient norm %.3g; %d step(s) skipped for inf/NaN gradients; rank 0: %s",
        epoch + 1, meanLoss(), trainSamplesPerSecond(), stageSamplesPerSecond(), paramHash(),
        ranks.size(), r.lastLearningRate(), r.lastGradNorm(), r.skippedSteps(), timeSplit());
  }
}
